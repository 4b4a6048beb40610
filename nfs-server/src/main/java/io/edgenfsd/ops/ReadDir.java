package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * READDIR (RFC 8881 section 18.23). A cookie is a 63-bit hash of the entry's name, and entries are
 * returned in cookie order, so a cookie stays valid while other entries are added or removed and a
 * listing never repeats or skips an entry that existed throughout (the way ext4's hash-ordered
 * directories behave under knfsd). The cookie verifier is therefore constant.
 */
public final class ReadDir implements Operation {
    private static final byte[] VERIFIER = new byte[8];

    record Entry(long cookie, String name) {
    }

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        long cookie = in.readLong();
        in.readFixedOpaque(8);
        in.readInt(); // dircount: a hint only
        int maxcount = in.readInt();
        int[] requested = in.readBitmap();
        if (cookie == 1 || cookie == 2) {
            throw new NfsException(NfsStatus.BAD_COOKIE, "reserved cookie " + cookie);
        }
        Inode dir = ctx.current();
        ctx.enter(dir);
        LocalFs fs = ctx.server().fs();
        if (fs.type(dir) != Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        List<String> names = fs.list(dir, ctx.clientAddress());
        List<Entry> entries = new ArrayList<>(names.size());
        for (String n : names) {
            entries.add(new Entry(cookieOf(n), n));
        }
        entries.sort((a, b) -> a.cookie != b.cookie ? Long.compare(a.cookie, b.cookie) : a.name.compareTo(b.name));
        int limit = Math.min(maxcount, ctx.server().maxRead() + 4096);
        int start = out.position();
        out.writeFixedOpaque(VERIFIER);
        int written = 0;
        boolean eof = true;
        for (Entry e : entries) {
            if (e.cookie <= cookie) {
                continue;
            }
            int mark = out.position();
            out.writeInt(1).writeLong(e.cookie).writeString(e.name);
            encodeEntryAttrs(ctx, fs, dir, e.name, requested, out);
            if (out.position() - start + 8 > limit) {
                out.truncate(mark);
                eof = false;
                break;
            }
            written++;
        }
        if (written == 0 && !eof) {
            throw new NfsException(NfsStatus.TOOSMALL, "maxcount " + maxcount + " holds no entry");
        }
        out.writeInt(0).writeBool(eof);
    }

    private static void encodeEntryAttrs(CompoundContext ctx, LocalFs fs, Inode dir, String name, int[] requested,
                                         XdrEncoder out) throws NfsException {
        try {
            Inode child = fs.entry(dir, name, ctx.clientAddress());
            Stat st = child.resolvedStat() != null ? child.resolvedStat() : fs.stat(child);
            Attributes.encode(out, requested, OpSupport.source(ctx, child, st), -1);
        } catch (NfsException e) {
            // entry vanished or cannot be read: report the error in rdattr_error when asked (section 5.8.1.12)
            Attributes.encode(out, requested, OpSupport.source(ctx, dir, null), e.status().code);
        }
    }

    /** FNV-1a over the UTF-8 name, folded to 63 bits; values 0, 1 and 2 are reserved (section 18.23.4). */
    static long cookieOf(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 29;
        h &= Long.MAX_VALUE;
        return h < 3 ? h + 3 : h;
    }
}
