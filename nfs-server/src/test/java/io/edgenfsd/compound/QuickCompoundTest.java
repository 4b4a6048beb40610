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

    /** SEQUENCE, PUTFH and one more operation (its encoded words): is that COMPOUND quick? */
    private boolean quickAfterPutfh(int[] op) {
        ByteBuf b = compound(1, 3);
        sequence(b);
        putfh(b, 28);
        for (int w : op) {
            b.writeInt(w);
        }
        return QuickCompound.isQuick(b, table);
    }

    private static void putfh(ByteBuf b, int len) {
        b.writeInt(OperationTable.PUTFH).writeInt(len).writeZero((len + 3) & ~3);
    }

    @Test
    void aLoneSequenceIsQuickAndNotConsumed() {
        ByteBuf b = compound(1, 1);
        sequence(b);
        int reader = b.readerIndex();
        assertThat(QuickCompound.isQuick(b, table)).isTrue();
        assertThat(b.readerIndex()).isEqualTo(reader);
    }

    @Test
    void cacheHitCandidatesAfterSequenceStartOnTheLoop() {
        int[][] bodies = {
            {OperationTable.LOOKUP, 5, 0x68656c6c, 0x6f000000},
            {OperationTable.GETATTR, 1, 0x0010011a},
            {OperationTable.READ, 0, 0, 0, 0, 0, 0, 4096},
            {OperationTable.GETFH},
        };
        for (int[] op : bodies) {
            assertThat(quickAfterPutfh(op)).as("op %d", op[0]).isTrue();
        }
        ByteBuf putfhOnly = compound(1, 2);
        sequence(putfhOnly);
        putfh(putfhOnly, 28);
        assertThat(QuickCompound.isQuick(putfhOnly, table)).as("PUTFH of an open object needs no disk").isTrue();
    }

    @Test
    void opsThatMayWaitWhateverTheCachesHoldGoToWorkers() {
        int[][] bodies = {
            {OperationTable.ACCESS, 0x1f},       // the permission check may read a POSIX ACL
            {OperationTable.CLOSE, 0, 0, 0, 0, 0}, // releases state, may close the last fd
            {OperationTable.READLINK},
            {OperationTable.PUTROOTFH},
        };
        for (int[] op : bodies) {
            assertThat(quickAfterPutfh(op)).as("op %d", op[0]).isFalse();
        }
        ByteBuf twoSequences = compound(1, 2);
        sequence(twoSequences);
        sequence(twoSequences);
        assertThat(QuickCompound.isQuick(twoSequences, table)).as("SEQUENCE_POS is the worker's to answer").isFalse();
    }

    @Test
    void withoutSequenceNothingIsQuick() {
        ByteBuf b = compound(1, 1);
        b.writeInt(OperationTable.GETFH);
        assertThat(QuickCompound.isQuick(b, table)).isFalse();
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
