package io.edgenfsd.export;

// TEMPORARY STUB replaced by the export branch
public record SquashedCredentials(int uid, int gid, int[] gids) {
}
