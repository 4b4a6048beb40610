package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Small pieces several operations share: component names, change_info4, attribute sources. */
final class OpSupport {
    private OpSupport() {
    }

    /** A component4 (section 14.2): valid UTF-8, not empty, no '/' or NUL, not "." or "..". */
    static String component(XdrDecoder in) throws NfsException {
        byte[] b = in.readOpaque(4096);
        if (b.length == 0) {
            throw new NfsException(NfsStatus.INVAL, "empty name");
        }
        if (b.length > 255) {
            throw new NfsException(NfsStatus.NAMETOOLONG, b.length + " bytes");
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new NfsException(NfsStatus.INVAL, "name is not UTF-8");
        }
        if (s.indexOf('/') >= 0 || s.indexOf('\0') >= 0) {
            throw new NfsException(NfsStatus.BADCHAR, "name contains '/' or NUL");
        }
        if (s.equals(".") || s.equals("..")) {
            throw new NfsException(NfsStatus.BADNAME, "'" + s + "'");
        }
        return s;
    }

    /** ISDIR, SYMLINK or INVAL unless {@code type} (S_IFMT bits) is a regular file (READ, WRITE, COMMIT). */
    static void requireRegular(int type) throws NfsException {
        if (type != Stat.S_IFREG) {
            throw new NfsException(type == Stat.S_IFDIR ? NfsStatus.ISDIR
                    : type == Stat.S_IFLNK ? NfsStatus.SYMLINK : NfsStatus.INVAL);
        }
    }

    static void changeInfo(XdrEncoder out, long before, long after) {
        out.writeBool(true).writeLong(before).writeLong(after);
    }

    static Attributes.AttrSource source(CompoundContext ctx, Inode i, Stat st) {
        LocalFs fs = ctx.server().fs();
        return new Attributes.AttrSource() {
            @Override
            public Stat stat() {
                return st;
            }

            @Override
            public byte[] fileHandle() {
                return i.handle();
            }

            @Override
            public long fsidMajor() {
                return i.isPseudo() ? 0 : i.export().id();
            }

            @Override
            public long fsidMinor() {
                return fs.fsidMinor(i, st);
            }

            @Override
            public long mountedOnFileId() {
                return fs.mountedOnFileId(i, st);
            }

            @Override
            public int leaseSeconds() {
                return ctx.server().state().leaseSeconds();
            }

            @Override
            public long maxRead() {
                return ctx.server().maxRead();
            }

            @Override
            public long maxWrite() {
                return ctx.server().maxWrite();
            }

            @Override
            public boolean persistentHandles() {
                return fs.persistentHandles();
            }

            @Override
            public String owner(int uid) {
                return ctx.server().ids().ownerString(uid);
            }

            @Override
            public String group(int gid) {
                return ctx.server().ids().ownerString(gid);
            }

            @Override
            public int minorVersion() {
                return ctx.minorVersion();
            }

            @Override
            public long[] fsUsage() throws NfsException {
                return fs.usage(i);
            }

            @Override
            public int cloneBlksize() throws NfsException {
                return fs.cloneBlockSize(i);
            }
        };
    }

}
