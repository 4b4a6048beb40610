package io.edgenfsd.xdr;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 4506 decoding with hostile lengths: nothing is allocated beyond what the buffer holds. */
class XdrDecoderTest {
    private static XdrDecoder of(int... words) {
        var b = Unpooled.buffer();
        for (int w : words) {
            b.writeInt(w);
        }
        return new XdrDecoder(b);
    }

    @Test
    void opaqueIsReadWithItsPadding() {
        XdrDecoder d = of(3, 0x61626300, 7);
        assertThat(d.readOpaque(10)).containsExactly('a', 'b', 'c');
        assertThat(d.readInt()).isEqualTo(7);
    }

    @Test
    void lengthAboveTheCallersLimitIsRefused() {
        assertThatThrownBy(() -> of(11, 0, 0, 0).readOpaque(10)).isInstanceOf(XdrException.class);
    }

    @Test
    void lengthBeyondTheRemainingBytesIsRefused() {
        assertThatThrownBy(() -> of(0x7FFFFFF0, 1).readOpaque(Integer.MAX_VALUE)).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> of(-1).readOpaque(Integer.MAX_VALUE)).isInstanceOf(XdrException.class);
    }

    @Test
    void arrayCountThatCannotFitIsRefusedBeforeAllocation() {
        assertThatThrownBy(() -> of(1000, 1, 2).readArrayCount(100_000, 4)).isInstanceOf(XdrException.class);
        assertThat(of(2, 1, 2).readArrayCount(10, 4)).isEqualTo(2);
    }

    @Test
    void bitmapOfMoreThanEightWordsIsRefused() {
        assertThatThrownBy(() -> of(9, 0, 0, 0, 0, 0, 0, 0, 0, 0).readBitmap()).isInstanceOf(XdrException.class);
        assertThat(of(2, 5, 6).readBitmap()).containsExactly(5, 6);
    }

    @Test
    void booleanOtherThanZeroOrOneIsRefused() {
        assertThat(of(1).readBool()).isTrue();
        assertThatThrownBy(() -> of(2).readBool()).isInstanceOf(XdrException.class);
    }

    @Test
    void truncatedIntegersAreRefused() {
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.wrappedBuffer(new byte[3])).readInt())
                .isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> of(1).readLong()).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> of(1).readFixedOpaque(5)).isInstanceOf(XdrException.class);
    }

    @Test
    void encoderAndDecoderRoundTrip() {
        var b = Unpooled.buffer();
        new XdrEncoder(b).writeInt(-5).writeLong(1L << 40).writeBool(true).writeString("héllo")
                .writeBitmap(new int[] {1, 0, 0});
        XdrDecoder d = new XdrDecoder(b);
        assertThat(d.readInt()).isEqualTo(-5);
        assertThat(d.readLong()).isEqualTo(1L << 40);
        assertThat(d.readBool()).isTrue();
        assertThat(d.readString(100)).isEqualTo("héllo");
        assertThat(d.readBitmap()).as("trailing zero words are not sent").containsExactly(1);
        assertThat(d.remaining()).isZero();
    }
}
