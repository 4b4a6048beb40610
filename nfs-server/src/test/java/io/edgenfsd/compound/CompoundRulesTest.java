package io.edgenfsd.compound;

import io.edgenfsd.status.NfsStatus;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.client.XdrOut;
import io.edgenfsd.ops.ProtocolTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The COMPOUND rules of RFC 8881 section 16.2 and 2.10.6: minor version, op position, illegal ops, BADXDR. */
class CompoundRulesTest extends ProtocolTestBase {

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 4})
    void minorVersionsOtherThanOneAndTwoAnswerMinorVersMismatchWithNoResults(int minor) {
        CompoundReply r = root.send(new Compound().minorVersion(minor).tag("t").putrootfh().getfh());
        assertThat(r.status()).isEqualTo(NfsStatus.MINOR_VERS_MISMATCH);
        assertThat(r.results()).isEmpty();
        assertThat(r.tag()).isEqualTo("t");
    }

    @Test
    void minorVersionTwoIsServedLikeOneOnTheSameSession() {
        CompoundReply r = root.compound42(c -> c.putrootfh().getfh());
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.results()).hasSize(3);
    }

    @Test
    void aServerCappedAtMinorVersionOneAnswersMinorVersMismatchToTwo() throws Exception {
        try (TestServer capped = TestServer.start(java.nio.file.Files.createTempDirectory("cap"), 65536,
                s -> s.withMaxMinorVersion(1), base.resolve("rw") + " *(rw,no_root_squash,insecure)");
             NfsSession s = capped.session(Cred.root())) {
            CompoundReply two = s.compound42(c -> c.putrootfh().getfh());
            assertThat(two.status()).isEqualTo(NfsStatus.MINOR_VERS_MISMATCH);
            assertThat(two.results()).isEmpty();
            assertThat(s.compound(c -> c.putrootfh().getfh()).status()).isEqualTo(NfsStatus.OK);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {59, 63, 74})
    void nfs42OpcodesInAMinorVersionOneCompoundAnswerNotsuppAndAreNotRun(int opcode) {
        CompoundReply r = root.compound(c -> c.putrootfh().raw(opcode, new byte[0]));
        assertThat(r.status()).isEqualTo(NfsStatus.NOTSUPP);
        assertThat(r.last().opcode()).isEqualTo(opcode);
    }

    @Test
    void operationsWithoutSequenceAnswerOpNotInSession() {
        CompoundReply r = root.send(new Compound().putrootfh().getfh());
        assertThat(r.status()).isEqualTo(NfsStatus.OP_NOT_IN_SESSION);
        assertThat(r.results()).hasSize(1);
        assertThat(r.get(0).opcode()).isEqualTo(Op.PUTROOTFH);
    }

    @Test
    void sequenceAfterTheFirstOperationAnswersSequencePos() {
        CompoundReply r = root.compound(c -> c.putrootfh().sequence(root.sessionId(), 1, 0, 0, false));
        assertThat(r.status()).isEqualTo(NfsStatus.SEQUENCE_POS);
        assertThat(r.last().opcode()).isEqualTo(Op.SEQUENCE);
    }

    @Test
    void exchangeIdInsideASessionCompoundAnswersNotOnlyOpOrNotInSession() {
        CompoundReply r = root.send(new Compound().exchangeId(new byte[8], "x".getBytes(), 0).putrootfh());
        assertThat(r.status()).isEqualTo(NfsStatus.NOT_ONLY_OP);
    }

    @Test
    void unknownOpcodeAnswersOpIllegalWithIllegalResultOpcode() {
        CompoundReply r = root.compound(c -> c.putrootfh().raw(9999, new byte[0]).getfh());
        assertThat(r.status()).isEqualTo(NfsStatus.OP_ILLEGAL);
        assertThat(r.results()).hasSize(3);
        assertThat(r.last().opcode()).isEqualTo(Op.ILLEGAL);
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 7, 19, 30, 47, 75})
    void knownButUnimplementedOpcodesAnswerNotsupp(int opcode) {
        CompoundReply r = root.compound(c -> c.putrootfh().raw(opcode, new byte[0]));
        assertThat(r.status()).isEqualTo(NfsStatus.NOTSUPP);
        assertThat(r.last().opcode()).isEqualTo(opcode);
    }

    @Test
    void processingStopsAtTheFirstFailingOperation() {
        CompoundReply r = root.compound(c -> c.putrootfh().lookup("no-such-name").getfh().getattr(Fattr.TYPE));
        assertThat(r.status()).isEqualTo(NfsStatus.NOENT);
        assertThat(r.results()).hasSize(3);
    }

    static Stream<Consumer<Compound>> needFilehandle() {
        return Stream.of(c -> c.getfh(), c -> c.getattr(Fattr.TYPE), c -> c.lookup("x"), c -> c.lookupp(),
                c -> c.access(Op.ACC_READ), c -> c.read(Stateid.ANONYMOUS, 0, 1),
                c -> c.write(Stateid.ANONYMOUS, 0, Op.UNSTABLE, new byte[1]), c -> c.commit(0, 0),
                c -> c.remove("x"), c -> c.readlink(), c -> c.savefh(), c -> c.readdir(0, new byte[8], 100, 1000),
                c -> c.mkdir("x", io.edgenfsd.client.Attrs.none()), c -> c.setattr(Stateid.ANONYMOUS,
                        io.edgenfsd.client.Attrs.mode(0644)), c -> c.close(Stateid.ANONYMOUS),
                c -> c.secinfo("x"), c -> c.secinfoNoName(0), c -> c.verify(Fattr.bitmap(Fattr.TYPE), new byte[4]),
                c -> c.open(Op.ACCESS_READ, 0, root.clientId(), root.openOwner(), "x"),
                c -> c.lockt(Op.READ_LT, 0, 1, root.clientId(), new byte[1]));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("needFilehandle")
    void operationsWithoutACurrentFilehandleAnswerNofilehandle(Consumer<Compound> op) {
        CompoundReply r = root.compound(op);
        assertThat(r.status()).isEqualTo(NfsStatus.NOFILEHANDLE);
        assertThat(r.results()).hasSize(2);
    }

    @Test
    void restorefhWithoutSavedFilehandleAnswersRestorefh() {
        assertThat(root.compound(c -> c.putrootfh().restorefh()).status()).isEqualTo(NfsStatus.RESTOREFH);
    }

    @Test
    void savefhAndRestorefhBringBackTheSavedFilehandle() {
        byte[] rootFh = root.rootFh();
        CompoundReply r = root.compound(c -> c.putrootfh().savefh().putfh(dirFh).restorefh().getfh()).orThrow();
        assertThat(r.body(Op.GETFH, byte[].class)).isEqualTo(rootFh);
    }

    @Test
    void truncatedOperationArgumentsAnswerBadxdr() {
        // LOOKUP whose component length says 100 bytes but only 4 follow
        CompoundReply r = root.compound(c -> c.putrootfh().raw(Op.LOOKUP, new XdrOut().int32(100).int32(0)
                .toByteArray()));
        assertThat(r.status()).isEqualTo(NfsStatus.BADXDR);
        assertThat(r.last().opcode()).isEqualTo(Op.LOOKUP);
    }

    @Test
    void moreOperationsAnnouncedThanPresentAnswerBadxdr() {
        int slot = 0;
        int seq = root.reserveSlot(slot);
        try {
            Compound c = root.sequenced(slot, seq, x -> x.putrootfh());
            CompoundReply r = CompoundReply.decode(root.sendArgs(c.encode(5)));
            assertThat(r.status()).isEqualTo(NfsStatus.BADXDR);
            assertThat(r.results()).hasSize(3);
            assertThat(r.get(0).status()).isEqualTo(NfsStatus.OK);
        } finally {
            root.releaseSlot(slot, seq);
        }
    }

    @Test
    void moreOperationsThanTheSessionAllowsAnswerTooManyOps() {
        CompoundReply r = root.compound(c -> {
            for (int i = 0; i < 200; i++) {
                c.putrootfh();
            }
        });
        assertThat(r.status()).isEqualTo(NfsStatus.TOO_MANY_OPS);
        assertThat(r.results()).hasSize(1);
        // the refused SEQUENCE left its slot untouched: every slot still takes its next sequence id
        for (int i = 0; i < root.slots(); i++) {
            assertThat(root.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.OK);
        }
    }

    @Test
    void nullProcedureAnswersSuccessWithNoResults() {
        RpcResult r = root.rpc().call(RpcClient.NFS_PROGRAM, 4, 0, root.cred(), new byte[0]);
        assertThat(r.accepted()).isTrue();
        assertThat(r.acceptStat()).isEqualTo(RpcResult.SUCCESS);
        assertThat(r.results()).isEmpty();
    }

    @Test
    void tagIsEchoed() {
        CompoundReply r = root.send(new Compound().tag("hello tag").minorVersion(1).sequence(new byte[16], 1, 0, 0,
                false));
        assertThat(r.tag()).isEqualTo("hello tag");
        assertThat(r.status()).isEqualTo(NfsStatus.BADSESSION);
    }
}
