package io.edgenfsd.compound;

import io.edgenfsd.server.Operations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuickCompoundTest {
    private final OperationTable table = Operations.table();

    /** COMPOUND4args with an empty tag and minor version 1; ops appended by the caller. */
    private static ByteBuf compound(int minor, int numOps) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0); // tag
        b.writeInt(minor);
        b.writeInt(numOps);
        return b;
    }

    private static void sequence(ByteBuf b) {
        b.writeInt(OperationTable.SEQUENCE);
        b.writeZero(16);
        b.writeInt(7).writeInt(0).writeInt(0).writeInt(0);
    }

    private static void putfh(ByteBuf b, int len) {
        b.writeInt(OperationTable.PUTFH).writeInt(len).writeZero((len + 3) & ~3);
    }

    @Test
    void lookupWithGetattrIsQuickAndNotConsumed() {
        ByteBuf b = compound(1, 5);
        sequence(b);
        putfh(b, 42);
        b.writeInt(OperationTable.LOOKUP).writeInt(5).writeBytes("hello".getBytes()).writeZero(3);
        b.writeInt(OperationTable.GETFH);
        b.writeInt(OperationTable.GETATTR).writeInt(2).writeInt(0x0010011a).writeInt(0x00b0a23a);
        int reader = b.readerIndex();
        assertThat(QuickCompound.isQuick(b, table)).isTrue();
        assertThat(b.readerIndex()).isEqualTo(reader);
    }

    @Test
    void closeIsQuick() {
        ByteBuf b = compound(1, 3);
        sequence(b);
        putfh(b, 28);
        b.writeInt(OperationTable.CLOSE).writeInt(0).writeZero(16);
        assertThat(QuickCompound.isQuick(b, table)).isTrue();
    }

    @Test
    void readIsQuickLikeTheSendfileThatAlreadyRunsOnTheEventLoop() {
        ByteBuf b = compound(1, 3);
        sequence(b);
        putfh(b, 28);
        b.writeInt(OperationTable.READ).writeZero(16).writeLong(0).writeInt(4096);
        assertThat(QuickCompound.isQuick(b, table)).isTrue();
    }

    @Test
    void writeAndNamespaceChangesGoToWorkers() {
        for (int op : new int[] {OperationTable.WRITE, OperationTable.COMMIT, OperationTable.OPEN,
                OperationTable.REMOVE, OperationTable.RENAME, OperationTable.SETATTR, OperationTable.CREATE,
                OperationTable.READDIR, OperationTable.CREATE_SESSION, OperationTable.EXCHANGE_ID}) {
            ByteBuf b = compound(1, 3);
            sequence(b);
            putfh(b, 28);
            b.writeInt(op).writeZero(64);
            assertThat(QuickCompound.isQuick(b, table)).as("op %d", op).isFalse();
        }
    }

    @Test
    void otherMinorVersionsAndMalformedArgumentsGoToWorkersWhichReportTheError() {
        ByteBuf v0 = compound(0, 1);
        v0.writeInt(OperationTable.GETFH);
        assertThat(QuickCompound.isQuick(v0, table)).isFalse();

        ByteBuf truncated = compound(1, 2);
        sequence(truncated);
        truncated.writeInt(OperationTable.PUTFH).writeInt(64).writeZero(10);
        assertThat(QuickCompound.isQuick(truncated, table)).isFalse();

        ByteBuf lying = compound(1, 1000);
        lying.writeInt(OperationTable.GETFH);
        assertThat(QuickCompound.isQuick(lying, table)).isFalse();

        ByteBuf negative = compound(1, 1);
        negative.writeInt(OperationTable.LOOKUP).writeInt(-4);
        assertThat(QuickCompound.isQuick(negative, table)).isFalse();

        ByteBuf illegal = compound(1, 1);
        illegal.writeInt(99_999);
        assertThat(QuickCompound.isQuick(illegal, table)).isFalse();

        ByteBuf hugeTag = Unpooled.buffer().writeInt(Integer.MAX_VALUE);
        assertThat(QuickCompound.isQuick(hugeTag, table)).isFalse();
    }
}
