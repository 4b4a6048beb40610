package io.edgenfsd.client;

/** A settable fattr4 (SETATTR, CREATE, OPEN): only the fields given are sent, in ascending bit order. */
public final class Attrs {
    static final int SIZE = 4;
    static final int MODE = 33;
    static final int OWNER = 36;
    static final int OWNER_GROUP = 37;
    static final int TIME_ACCESS_SET = 48;
    static final int TIME_MODIFY_SET = 54;

    private Long size;
    private Integer mode;
    private String owner;
    private String group;
    private Long atimeSec;
    private Long mtimeSec;
    private boolean atimeServer;
    private boolean mtimeServer;

    public static Attrs none() {
        return new Attrs();
    }

    public static Attrs mode(int mode) {
        return new Attrs().withMode(mode);
    }

    public Attrs withMode(int m) {
        mode = m;
        return this;
    }

    public Attrs withSize(long s) {
        size = s;
        return this;
    }

    public Attrs withOwner(String o) {
        owner = o;
        return this;
    }

    public Attrs withGroup(String g) {
        group = g;
        return this;
    }

    public Attrs withMtime(long seconds) {
        mtimeSec = seconds;
        return this;
    }

    public Attrs withAtimeServer() {
        atimeServer = true;
        return this;
    }

    public Attrs withMtimeServer() {
        mtimeServer = true;
        return this;
    }

    public int[] bitmap() {
        int[] w = new int[2];
        if (size != null) {
            set(w, SIZE);
        }
        if (mode != null) {
            set(w, MODE);
        }
        if (owner != null) {
            set(w, OWNER);
        }
        if (group != null) {
            set(w, OWNER_GROUP);
        }
        if (atimeSec != null || atimeServer) {
            set(w, TIME_ACCESS_SET);
        }
        if (mtimeSec != null || mtimeServer) {
            set(w, TIME_MODIFY_SET);
        }
        return w[1] != 0 ? w : w[0] != 0 ? new int[] {w[0]} : new int[0];
    }

    static void set(int[] w, int bit) {
        w[bit / 32] |= 1 << (bit % 32);
    }

    public void encode(XdrOut out) {
        XdrOut v = new XdrOut();
        if (size != null) {
            v.int64(size);
        }
        if (mode != null) {
            v.int32(mode);
        }
        if (owner != null) {
            v.string(owner);
        }
        if (group != null) {
            v.string(group);
        }
        if (atimeSec != null || atimeServer) {
            time(v, atimeServer, atimeSec);
        }
        if (mtimeSec != null || mtimeServer) {
            time(v, mtimeServer, mtimeSec);
        }
        out.bitmap(bitmap()).opaque(v.toByteArray());
    }

    private static void time(XdrOut v, boolean server, Long sec) {
        if (server) {
            v.int32(0);
        } else {
            v.int32(1).int64(sec).int32(0);
        }
    }
}
