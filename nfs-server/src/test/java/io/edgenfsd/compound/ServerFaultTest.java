package io.edgenfsd.compound;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.server.Operations;
import io.edgenfsd.server.ServerConfig;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An operation failing with an unexpected exception (a bug of ours) answers SERVERFAULT, also on a retry. */
class ServerFaultTest {
    @TempDir
    Path tmp;

    @Test
    void anOperationThatThrowsAnswersServerfaultAndItsRetryGetsTheSameBytes() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        // GETFH made to fail half way through encoding its result
        OperationTable ops = Operations.table().register(OperationTable.GETFH, (ctx, in, out) -> {
            out.writeInt(0xDEAD);
            throw new IllegalStateException("injected failure");
        });
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, ServerConfig.Limits.defaults(), ops,
                exp + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            int slot = 1;
            int seq = s.reserveSlot(slot);
            byte[] args = s.sequenced(slot, seq, c -> c.putrootfh().getfh()).encode();
            RpcResult first = s.sendArgs(args);
            assertThat(first.acceptStat()).isEqualTo(RpcResult.SUCCESS);
            CompoundReply r = CompoundReply.decode(first);
            assertThat(r.status()).isEqualTo(NfsStatus.SERVERFAULT);
            assertThat(r.results()).hasSize(3);
            assertThat(r.get(1).status()).isEqualTo(NfsStatus.OK);
            assertThat(r.get(2).opcode()).isEqualTo(Op.GETFH);
            assertThat(r.get(2).status()).isEqualTo(NfsStatus.SERVERFAULT);

            RpcResult retry = s.sendArgs(args);
            assertThat(retry.afterXid()).as("the retry's reply, from the slot").isEqualTo(first.afterXid());
            s.releaseSlot(slot, seq);
            assertThat(s.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.OK);
        }
    }
}
