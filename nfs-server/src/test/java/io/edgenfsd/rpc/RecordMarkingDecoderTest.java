package io.edgenfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 5531 section 11 record marking on an EmbeddedChannel: fragments, split headers, limits. */
class RecordMarkingDecoderTest {

    private static ByteBuf fragment(boolean last, byte... data) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt((last ? 0x80000000 : 0) | data.length);
        b.writeBytes(data);
        return b;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] r = new byte[b.readableBytes()];
        b.readBytes(r);
        b.release();
        return r;
    }

    @Test
    void oneLastFragmentIsOneRecord() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
        ch.writeInbound(fragment(true, (byte) 1, (byte) 2, (byte) 3));
        assertThat(bytes(ch.readInbound())).containsExactly(1, 2, 3);
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void fragmentsAreJoinedUntilTheLastOne() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
        ch.writeInbound(fragment(false, (byte) 1, (byte) 2));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.writeInbound(fragment(false));
        ch.writeInbound(fragment(true, (byte) 3));
        assertThat(bytes(ch.readInbound())).containsExactly(1, 2, 3);
        ch.finishAndReleaseAll();
    }

    @Test
    void headerAndBodyArrivingByteByByteAreReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
        ByteBuf all = Unpooled.wrappedBuffer(fragment(false, (byte) 9), fragment(true, (byte) 8, (byte) 7));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        assertThat(bytes(ch.readInbound())).containsExactly(9, 8, 7);
        ch.finishAndReleaseAll();
    }

    @Test
    void twoRecordsInOneBufferAreTwoMessages() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(fragment(true, (byte) 1), fragment(true, (byte) 2)));
        assertThat(bytes(ch.readInbound())).containsExactly(1);
        assertThat(bytes(ch.readInbound())).containsExactly(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFragmentAnnouncingMoreThanTheLimitFailsBeforeItsBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(100));
        ByteBuf header = Unpooled.buffer().writeInt(0x80000000 | 101);
        assertThatThrownBy(() -> ch.writeInbound(header)).isInstanceOf(TooLongFrameException.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void fragmentsAddingUpBeyondTheLimitFail() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(100));
        ch.writeInbound(fragment(false, new byte[60]));
        assertThatThrownBy(() -> ch.writeInbound(fragment(true, new byte[41])))
                .isInstanceOf(TooLongFrameException.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void aRecordOfExactlyTheLimitIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(100));
        ch.writeInbound(fragment(false, new byte[50]));
        ch.writeInbound(fragment(true, new byte[50]));
        assertThat(bytes(ch.readInbound())).hasSize(100);
        ch.finishAndReleaseAll();
    }
}
