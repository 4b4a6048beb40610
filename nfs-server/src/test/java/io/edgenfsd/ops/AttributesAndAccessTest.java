package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** GETATTR, SETATTR, VERIFY, NVERIFY and ACCESS (RFC 8881 sections 18.7, 18.30, 18.31, 18.15, 18.1). */
class AttributesAndAccessTest extends ProtocolTestBase {
    private static final int ALL = Op.ACC_READ | Op.ACC_LOOKUP | Op.ACC_MODIFY | Op.ACC_EXTEND | Op.ACC_DELETE
            | Op.ACC_EXECUTE;

    private byte[] file(String name, String perms) throws Exception {
        Files.writeString(dir.resolve(name), "content");
        Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString(perms));
        return root.lookup(dirFh, name);
    }

    @Test
    void setattrOfSizeModeAndOwnerReportsTheAttributesSet() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "s", Attrs.none());
        root.write(f, 0, new byte[100], Op.FILE_SYNC);
        CompoundReply r = root.compound(c -> c.putfh(f.fh()).setattr(f.stateid(), new Attrs().withSize(10)
                .withMode(0600).withOwner("1000").withGroup("1001")).getattr(Fattr.SIZE, Fattr.MODE, Fattr.OWNER,
                Fattr.OWNER_GROUP));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        int[] set = r.body(Op.SETATTR, int[].class);
        for (int bit : new int[] {Fattr.SIZE, Fattr.MODE, Fattr.OWNER, Fattr.OWNER_GROUP}) {
            assertThat(Fattr.isSet(set, bit)).as("bit %d", bit).isTrue();
        }
        Fattr a = r.body(Op.GETATTR, Fattr.class);
        assertThat(a.size()).isEqualTo(10);
        assertThat(a.mode()).isEqualTo(0600);
        assertThat(a.owner()).isEqualTo("1000");
        assertThat(a.ownerGroup()).isEqualTo("1001");
        assertThat(Files.getAttribute(dir.resolve("s"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.size(dir.resolve("s"))).isEqualTo(10);
    }

    @Test
    void setattrOfTimesToServerTimeAndClientTime() throws Exception {
        Files.writeString(dir.resolve("t"), "");
        byte[] fh = root.lookup(dirFh, "t");
        root.compound(c -> c.putfh(fh).setattr(Stateid.ANONYMOUS, new Attrs().withMtime(1_000_000)
                .withAtimeServer())).orThrow();
        assertThat(Files.getLastModifiedTime(dir.resolve("t")).toMillis()).isEqualTo(1_000_000_000L);
    }

    @Test
    void setattrOfAnUnknownOwnerAnswersBadowner() throws Exception {
        byte[] fh = file("o", "rw-r--r--");
        CompoundReply r = root.compound(c -> c.putfh(fh).setattr(Stateid.ANONYMOUS,
                new Attrs().withOwner("no-such-user-xyz@nowhere")));
        assertThat(r.status()).isEqualTo(NfsStatus.BADOWNER);
        assertThat(r.body(Op.SETATTR, int[].class)).isEmpty();
    }

    @Test
    void setattrOfAReadOnlyAttributeAnswersInvalAndOfAnUnsupportedOneAttrnotsupp() throws Exception {
        byte[] fh = file("ro-attr", "rw-r--r--");
        CompoundReply type = root.compound(c -> c.putfh(fh).raw(Op.SETATTR, new io.edgenfsd.client.XdrOut()
                .int32(0).fixed(new byte[12]).bitmap(Fattr.bitmap(Fattr.TYPE)).opaque(new io.edgenfsd.client.XdrOut()
                        .int32(1).toByteArray()).toByteArray()));
        assertThat(type.status()).isEqualTo(NfsStatus.INVAL);
        CompoundReply acl = root.compound(c -> c.putfh(fh).raw(Op.SETATTR, new io.edgenfsd.client.XdrOut()
                .int32(0).fixed(new byte[12]).bitmap(Fattr.bitmap(12)).opaque(new byte[4]).toByteArray()));
        assertThat(acl.status()).isEqualTo(NfsStatus.ATTRNOTSUPP);
    }

    @Test
    void setattrOnAReadOnlyExportAnswersRofsWithAnEmptyAttrsset() {
        byte[] fh = root.lookupPath(export("ro") + "/readme");
        CompoundReply r = root.compound(c -> c.putfh(fh).setattr(Stateid.ANONYMOUS, Attrs.mode(0777)));
        assertThat(r.status()).isEqualTo(NfsStatus.ROFS);
        assertThat(r.body(Op.SETATTR, int[].class)).isEmpty();
    }

    @Test
    void setattrOfSizeOnADirectoryAnswersIsdirAndWithAReadOpenOpenmode() throws Exception {
        assertThat(root.compound(c -> c.putfh(dirFh).setattr(Stateid.ANONYMOUS, new Attrs().withSize(0))).status())
                .isEqualTo(NfsStatus.ISDIR);
        file("r", "rw-r--r--");
        NfsSession.OpenFile f = root.open(dirFh, "r", Op.ACCESS_READ, 0);
        assertThat(root.compound(c -> c.putfh(f.fh()).setattr(f.stateid(), new Attrs().withSize(0))).status())
                .isEqualTo(NfsStatus.OPENMODE);
    }

    @Test
    void changeAttributeStrictlyIncreasesOnEveryWrite() {
        NfsSession.OpenFile f = root.create(dirFh, "chg", Attrs.none());
        long last = root.getattr(f.fh(), Fattr.CHANGE).change();
        for (int i = 0; i < 5; i++) {
            root.write(f, i, new byte[] {1}, Op.UNSTABLE);
            long now = root.getattr(f.fh(), Fattr.CHANGE).change();
            assertThat(now).isGreaterThan(last);
            last = now;
        }
    }

    @Test
    void verifyAnswersOkWhenEqualAndNotSameWhenDifferentAndNverifyTheOpposite() throws Exception {
        byte[] fh = file("v", "rw-r--r--");
        Fattr a = root.getattr(fh, Fattr.SIZE, Fattr.MODE);
        assertThat(root.compound(c -> c.putfh(fh).verify(a.bitmap(), a.values())).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(fh).nverify(a.bitmap(), a.values())).status())
                .isEqualTo(NfsStatus.SAME);
        Files.writeString(dir.resolve("v"), "longer content");
        assertThat(root.compound(c -> c.putfh(fh).verify(a.bitmap(), a.values())).status())
                .isEqualTo(NfsStatus.NOT_SAME);
        assertThat(root.compound(c -> c.putfh(fh).nverify(a.bitmap(), a.values())).status())
                .isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(fh).verify(Fattr.bitmap(Fattr.RDATTR_ERROR), new byte[4])).status())
                .isEqualTo(NfsStatus.INVAL);
        assertThat(root.compound(c -> c.putfh(fh).verify(Fattr.bitmap(12), new byte[4])).status())
                .isEqualTo(NfsStatus.ATTRNOTSUPP);
    }

    @Test
    void getattrReturnsOnlySupportedAttributesInAscendingOrder() {
        Fattr a = root.getattr(dirFh, Fattr.SUPPORTED_ATTRS, Fattr.TYPE, Fattr.FSID, 12, Fattr.FILEHANDLE,
                Fattr.MODE, Fattr.TIME_MODIFY);
        assertThat(a.has(12)).as("ACL is not supported").isFalse();
        assertThat(a.type()).isEqualTo(Op.NF4DIR);
        assertThat((byte[]) a.attrs().get(Fattr.FILEHANDLE)).isEqualTo(dirFh);
        assertThat(Fattr.isSet((int[]) a.attrs().get(Fattr.SUPPORTED_ATTRS), Fattr.OWNER)).isTrue();
    }

    @Test
    void accessForRootGrantsEverythingOnA0600File() throws Exception {
        byte[] fh = file("a600", "rw-------");
        Res.Access r = root.compound(c -> c.putfh(fh).access(ALL)).orThrow().body(Op.ACCESS, Res.Access.class);
        assertThat(r.supported()).isEqualTo(ALL);
        assertThat(r.access()).isEqualTo(Op.ACC_READ | Op.ACC_LOOKUP | Op.ACC_MODIFY | Op.ACC_EXTEND
                | Op.ACC_DELETE);
    }

    @Test
    void accessForAnotherUserFollowsTheModeBits() throws Exception {
        byte[] private600 = file("p600", "rw-------");
        byte[] public644 = file("p644", "rw-r--r--");
        NfsSession user = session(Cred.sys(1000, 1000));
        int none = user.compound(c -> c.putfh(private600).access(ALL)).orThrow().body(Op.ACCESS, Res.Access.class)
                .access();
        assertThat(none).isZero();
        int read = user.compound(c -> c.putfh(public644).access(ALL)).orThrow().body(Op.ACCESS, Res.Access.class)
                .access();
        assertThat(read).isEqualTo(Op.ACC_READ);
        assertThat(user.compound(c -> c.putfh(dirFh).open(Op.ACCESS_READ, 0, user.clientId(), user.openOwner(),
                "p600")).status()).isEqualTo(NfsStatus.ACCESS);
        assertThat(user.compound(c -> c.putfh(dirFh).open(Op.ACCESS_WRITE, 0, user.clientId(), user.openOwner(),
                "p644")).status()).isEqualTo(NfsStatus.ACCESS);
        assertThat(user.compound(c -> c.putfh(dirFh).open(Op.ACCESS_READ, 0, user.clientId(), user.openOwner(),
                "p644")).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void accessAtMinorVersionTwoAnswersTheXattrBitsFromTheModeAndAtOneDoesNotKnowThem() throws Exception {
        int xa = 0x40 | 0x80 | 0x100; // ACCESS4_XAREAD, XAWRITE, XALIST (RFC 8276 section 8.4.1)
        byte[] public644 = file("x644", "rw-r--r--");
        Res.Access rootAt42 = root.compound42(c -> c.putfh(public644).access(ALL | xa)).orThrow()
                .body(Op.ACCESS, Res.Access.class);
        assertThat(rootAt42.supported()).isEqualTo(ALL | xa);
        assertThat(rootAt42.access() & xa).isEqualTo(xa);
        NfsSession user = session(Cred.sys(1000, 1000));
        Res.Access userAt42 = user.compound42(c -> c.putfh(public644).access(ALL | xa)).orThrow()
                .body(Op.ACCESS, Res.Access.class);
        assertThat(userAt42.access()).as("read and list, not write, on another's 0644 file")
                .isEqualTo(Op.ACC_READ | 0x40 | 0x100);
        Res.Access rootAt41 = root.compound(c -> c.putfh(public644).access(ALL | xa)).orThrow()
                .body(Op.ACCESS, Res.Access.class);
        assertThat(rootAt41.supported() & xa).as("no xattr bits in 4.1").isZero();
        byte[] ro = root.lookupPath(export("ro") + "/readme");
        int granted = root.compound42(c -> c.putfh(ro).access(ALL | xa)).orThrow().body(Op.ACCESS, Res.Access.class)
                .access();
        assertThat(granted & 0x80).as("no XAWRITE on a read-only export").isZero();
        assertThat(granted & 0x40).isEqualTo(0x40);
    }

    @Test
    void accessOnAReadOnlyExportNeverGrantsModification() {
        byte[] fh = root.lookupPath(export("ro") + "/readme");
        int granted = root.compound(c -> c.putfh(fh).access(ALL)).orThrow().body(Op.ACCESS, Res.Access.class)
                .access();
        assertThat(granted & (Op.ACC_MODIFY | Op.ACC_EXTEND | Op.ACC_DELETE)).isZero();
        assertThat(granted & Op.ACC_READ).isEqualTo(Op.ACC_READ);
    }

    @Test
    void filesCreatedByAUserBelongToThatUser() throws Exception {
        NfsSession user = session(Cred.sys(1000, 1000));
        user.create(dirFh, "mine", Attrs.none());
        assertThat(Files.getAttribute(dir.resolve("mine"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1000);
        assertThat(Files.getAttribute(dir.resolve("mine"), "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1000);
    }

    @Test
    void getattrRightAfterLookupReportsWhatAStandaloneGetattrReports() throws Exception {
        byte[] fh = file("la", "rw-r-----");
        CompoundReply r = root.compound(c -> c.putfh(dirFh).lookup("la").getfh()
                .getattr(Fattr.SIZE, Fattr.MODE, Fattr.CHANGE, Fattr.FILEID));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        Fattr viaLookup = r.body(Op.GETATTR, Fattr.class);
        Fattr alone = root.getattr(fh, Fattr.SIZE, Fattr.MODE, Fattr.CHANGE, Fattr.FILEID);
        assertThat(viaLookup.size()).isEqualTo(alone.size()).isEqualTo(7);
        assertThat(viaLookup.mode()).isEqualTo(alone.mode()).isEqualTo(0640);
        assertThat(viaLookup.change()).isEqualTo(alone.change());
        assertThat(viaLookup.fileid()).isEqualTo(alone.fileid());
    }

    @Test
    void getattrAfterLookupThenSetattrInOneCompoundSeesTheChange() throws Exception {
        file("ls", "rw-rw-rw-");
        CompoundReply r = root.compound(c -> c.putfh(dirFh).lookup("ls")
                .setattr(Stateid.ANONYMOUS, new Attrs().withSize(3)).getattr(Fattr.SIZE));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.GETATTR, Fattr.class).size()).isEqualTo(3);
    }
}
