package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

/**
 * The size an export shows as its filesystem's ({@code capacity=}): told the real filesystem's
 * {files_avail, files_free, files_total, space_avail, space_free, space_total}, returns what to report.
 */
public interface VolumeCapacity {
    VolumeCapacity NONE = (export, fsUsage) -> fsUsage;

    long[] usage(Export export, long[] fsUsage);
}
