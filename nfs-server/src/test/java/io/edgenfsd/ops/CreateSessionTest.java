package io.edgenfsd.ops;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** CREATE_SESSION's argument checks (RFC 8881 section 18.36.3): unknown flags and too small channels. */
class CreateSessionTest extends ProtocolTestBase {
    private Res.ExchangeId newClient() {
        return root.send(new Compound().exchangeId(new byte[8], ("cs-" + System.nanoTime())
                .getBytes(StandardCharsets.UTF_8), 0)).orThrow().body(Op.EXCHANGE_ID, Res.ExchangeId.class);
    }

    @Test
    void unknownFlagsAnswerInval() {
        Res.ExchangeId c = newClient();
        assertThat(root.send(new Compound().createSession(c.clientId(), c.seq(), 0xf, 4, 0)).status())
                .isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void channelsTooSmallForASequenceAnswerToosmallAndASensibleOneIsAccepted() {
        Res.ExchangeId c = newClient();
        assertThat(root.send(new Compound().createSessionChannels(c.clientId(), c.seq(), 0, 8192, 0, 8192, 8192, 8))
                .status()).as("no room for any reply").isEqualTo(NfsStatus.TOOSMALL);
        assertThat(root.send(new Compound().createSessionChannels(c.clientId(), c.seq(), 0, 20, 8192, 8192, 8192, 8))
                .status()).as("no room for a request").isEqualTo(NfsStatus.TOOSMALL);
        assertThat(root.send(new Compound().createSessionChannels(c.clientId(), c.seq(), 0, 8192, 8192, 10, 8192, 1))
                .status()).as("a back channel that cannot carry CB_SEQUENCE").isEqualTo(NfsStatus.TOOSMALL);
        assertThat(root.send(new Compound().createSessionChannels(c.clientId(), c.seq(), 0, 8192, 8192, 4096, 4096, 2))
                .status()).isEqualTo(NfsStatus.OK);
    }
}
