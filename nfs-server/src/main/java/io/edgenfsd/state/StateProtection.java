package io.edgenfsd.state;

/**
 * The state protection a client chose in EXCHANGE_ID (RFC 8881 sections 2.10.8.3 and 18.35): SP4_NONE, or
 * SP4_MACH_CRED with the operations that must use the machine credential (spo_must_enforce) and those that
 * may (spo_must_allow). With AUTH_SYS the machine credential is the principal of the EXCHANGE_ID that made
 * the record.
 */
public record StateProtection(int how, int[] mustEnforce, int[] mustAllow) {
    public static final int SP4_NONE = 0;
    public static final int SP4_MACH_CRED = 1;
    public static final StateProtection NONE = new StateProtection(SP4_NONE, new int[0], new int[0]);

    public boolean machineCredential() {
        return how == SP4_MACH_CRED;
    }

    public boolean enforces(int opcode) {
        return machineCredential() && has(mustEnforce, opcode);
    }

    static boolean has(int[] bitmap, int bit) {
        int w = bit >>> 5;
        return bit >= 0 && w < bitmap.length && (bitmap[w] & (1 << (bit & 31))) != 0;
    }
}
