package io.edgenfsd.vfs.linux;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layouts and numbers that decide whether times survive on 32-bit arm (issue 11: SETATTR of mtime
 * 2100-01-01 stored 1963-11-24 through a 32-bit timespec). Checked for every architecture, whichever this
 * JVM runs on.
 */
class AtLayoutTest {
    private static final long Y2100 = 4_102_444_800L; // 2100-01-01T00:00:00Z

    @Test
    void timesAreWrittenAsTwoSixtyFourBitFieldsPerTimestamp() {
        Memory m = new Memory(32);
        At.timespec64(m, 0, Y2100 * 1_000_000_000L + 123_456_789);
        At.timespec64(m, 16, -1_000_000_000L + 5); // 1969-12-31T23:59:59.000000005Z
        assertThat(m.getLong(0)).isEqualTo(Y2100);
        assertThat(m.getLong(8)).isEqualTo(123_456_789);
        assertThat(m.getLong(16)).isEqualTo(-1);
        assertThat(m.getLong(24)).isEqualTo(5);
    }

    @Test
    void utimeNowAndOmitGoInTheNanosecondField() {
        Memory m = new Memory(16);
        At.timespec64(m, 0, At.UTIME_OMIT);
        assertThat(m.getLong(0)).isZero();
        assertThat(m.getLong(8)).isEqualTo((1L << 30) - 2);
    }

    @Test
    void thirtyTwoBitArmUsesTheTime64SystemCall() {
        assertThat(At.utimensatNr(Arch.ARM)).as("utimensat_time64").isEqualTo(412);
        assertThat(At.utimensatNr(Arch.X86_64)).isEqualTo(280);
        assertThat(At.utimensatNr(Arch.AARCH64)).isEqualTo(88);
        assertThat(At.pick(Arch.ARM, 217, 61, 217)).isEqualTo(217);
    }

    @Test
    void statxTimestampsAreSixtyFourBitSecondsOnEveryArchitecture() {
        Memory b = new Memory(256);
        b.clear();
        b.setInt(0, 0x7ff);
        b.setLong(112, Y2100); // stx_mtime.tv_sec
        b.setInt(120, 7);
        assertThat(LinuxCalls.parseStatx(b).mtimeSec()).isEqualTo(Y2100);
        assertThat(LinuxCalls.parseStatx(b).mtimeNsec()).isEqualTo(7);
    }
}
