package io.edgenfsd.vfs.linux;

import java.util.Locale;

/**
 * Per-architecture Linux ABI numbers: raw system call numbers and the {@code open(2)} flag bits that differ
 * between architectures. Chosen once from {@code os.arch}.
 *
 * <p>Sources: the kernel's syscall tables (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h
 * for arm64, arch/arm/tools/syscall.tbl for 32-bit EABI arm) and the uapi fcntl.h headers
 * (asm-generic/fcntl.h; arch/arm{,64}/include/uapi/asm/fcntl.h override O_DIRECTORY, O_NOFOLLOW, O_DIRECT,
 * O_LARGEFILE).
 */
enum Arch {
    //           name_to_handle open_by_handle statx mknodat setgroups getgroups setfsuid setfsgid  O_DIRECTORY O_NOFOLLOW O_LARGEFILE(passed) wordSize
    X86_64      (303,          304,           332,  259,    116,      115,      122,     123,      0200000,    0400000,   0,                  8),
    AARCH64     (264,          265,           291,  33,     159,      158,      151,     152,      040000,     0100000,   0,                  8),
    /** 32-bit EABI arm: the *32 variants of the credential calls (setgroups32, getgroups32, setfsuid32, setfsgid32). */
    ARM         (370,          371,           397,  324,    206,      205,      215,     216,      040000,     0100000,   0400000,            4),
    UNSUPPORTED (-1,           -1,            -1,   -1,     -1,       -1,       -1,      -1,       0200000,    0400000,   0,                  8);

    final int nameToHandleAt;
    final int openByHandleAt;
    final int statx;
    final int mknodat;
    final int setgroups;
    final int getgroups;
    final int setfsuid;
    final int setfsgid;
    final int oDirectory;
    final int oNofollow;
    /** O_LARGEFILE as it must be passed explicitly to raw open-style syscalls (0 where the kernel forces it). */
    final int oLargefile;
    /** sizeof(long) in the C ABI. */
    final int wordSize;

    Arch(int nameToHandleAt, int openByHandleAt, int statx, int mknodat, int setgroups, int getgroups,
         int setfsuid, int setfsgid, int oDirectory, int oNofollow, int oLargefile, int wordSize) {
        this.nameToHandleAt = nameToHandleAt;
        this.openByHandleAt = openByHandleAt;
        this.statx = statx;
        this.mknodat = mknodat;
        this.setgroups = setgroups;
        this.getgroups = getgroups;
        this.setfsuid = setfsuid;
        this.setfsgid = setfsgid;
        this.oDirectory = oDirectory;
        this.oNofollow = oNofollow;
        this.oLargefile = oLargefile;
        this.wordSize = wordSize;
    }

    static final Arch CURRENT = detect(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    static Arch detect(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return UNSUPPORTED;
        }
        String a = osArch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "amd64":
            case "x86_64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            default:
                // OpenJDK reports "arm" on 32-bit arm; some builds report armv7l / armhf.
                return a.startsWith("arm") ? ARM : UNSUPPORTED;
        }
    }

    boolean supported() {
        return this != UNSUPPORTED;
    }

    void require() {
        if (!supported()) {
            throw new UnsupportedOperationException("Linux system calls are not available on os.name="
                    + System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch")
                    + " (supported: linux x86-64, aarch64, 32-bit arm)");
        }
    }
}
