package io.edgenfsd.manifest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A Kubernetes resource quantity ({@code resource.Quantity}): the same grammar, the same case-sensitive
 * suffixes, the same rounding (to nano, away from zero), the same silent cap of binary-SI values at
 * 2^63-1, and the same canonical string form.
 *
 * <pre>
 * quantity        = signedNumber suffix
 * signedNumber    = [ "+" | "-" ] number
 * number          = digits | digits "." digits | digits "." | "." digits
 * suffix          = binarySI | decimalExponent | decimalSI
 * binarySI        = Ki | Mi | Gi | Ti | Pi | Ei
 * decimalSI       = n | u | m | "" | k | M | G | T | P | E
 * decimalExponent = ( "e" | "E" ) signedNumber       (an integer)
 * </pre>
 *
 * The value is held exactly as a {@link BigDecimal}; it is never a floating point number.
 */
public final class Quantity implements Comparable<Quantity> {

    /** How a quantity is written; remembered from parsing and reused when formatting. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(9);
    private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger K1024 = BigInteger.valueOf(1024);
    private static final int MAX_INT64_DIGITS = 18;
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private final BigDecimal value;
    private final Format format;
    /** The input string when Kubernetes would print it back unchanged, else null. */
    private final String original;

    private Quantity(BigDecimal value, Format format, String original) {
        this.value = value;
        this.format = format;
        this.original = original;
    }

    /** Thrown for a string that Kubernetes' ParseQuantity rejects. */
    public static final class InvalidQuantityException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidQuantityException(String input, String why) {
            super("invalid quantity \"" + input + "\": " + why);
        }
    }

    public static Quantity of(long amount, Format format) {
        return new Quantity(BigDecimal.valueOf(amount), format, null);
    }

    /** Parses like Kubernetes' {@code resource.ParseQuantity}. */
    public static Quantity parse(String str) {
        Objects.requireNonNull(str, "quantity");
        if (str.isEmpty()) {
            throw new InvalidQuantityException(str, "empty string");
        }
        if (str.equals("0")) {
            return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");
        }
        // --- scan: sign, leading zeros, integer digits, fraction digits, suffix
        int end = str.length();
        int pos = 0;
        boolean positive = true;
        char first = str.charAt(0);
        if (first == '-' || first == '+') {
            positive = first == '+';
            pos++;
        }
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        String num;
        String denom = "";
        String suffix = "";
        int numStart = pos;
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        num = str.substring(numStart, pos);
        if (num.isEmpty()) {
            num = "0";
        }
        if (pos < end && str.charAt(pos) == '.') {
            pos++;
            int denomStart = pos;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            denom = str.substring(denomStart, pos);
        }
        if (pos < end) {
            int suffixStart = pos;
            while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            if (pos < end) {
                throw new InvalidQuantityException(str, "must match the regular expression "
                        + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
            }
            suffix = str.substring(suffixStart, end);
        }

        // --- interpret the suffix
        int base;
        int exponent;
        Format format;
        int dec = decimalExponent(suffix);
        int bin = binaryIndex(suffix);
        if (dec != Integer.MIN_VALUE) {
            base = 10;
            exponent = dec;
            format = Format.DECIMAL_SI;
        } else if (bin > 0) {
            base = 2;
            exponent = bin * 10;
            format = Format.BINARY_SI;
        } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            long parsed;
            try {
                parsed = Long.parseLong(suffix.substring(1));
            } catch (NumberFormatException e) {
                throw new InvalidQuantityException(str, "unable to parse quantity's suffix");
            }
            base = 10;
            exponent = (int) parsed; // Kubernetes narrows the exponent to 32 bits the same way
            format = Format.DECIMAL_EXPONENT;
        } else {
            throw new InvalidQuantityException(str, "unable to parse quantity's suffix \"" + suffix
                    + "\" (suffixes are case-sensitive: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)");
        }

        // --- the fast path Kubernetes takes decides whether the input string is kept as its own form
        String digits = num + denom;
        boolean keepOriginal = false;
        boolean fast = false;
        int precision;
        if (format == Format.BINARY_SI) {
            precision = denom.isEmpty()
                    ? 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1
                    : -1;
        } else {
            precision = MAX_INT64_DIGITS - (num.length() + denom.length());
        }
        if (precision >= 0) {
            long scale = (format == Format.BINARY_SI ? 0 : (long) exponent) - denom.length();
            if (scale >= -9) {
                BigInteger shifted = new BigInteger(digits);
                if (shifted.bitLength() < 64) {
                    long v = shifted.longValueExact();
                    BigInteger product = shifted.shiftLeft(format == Format.BINARY_SI ? exponent : 0);
                    if (product.bitLength() < 64) {
                        fast = true;
                        if (format == Format.BINARY_SI) {
                            keepOriginal = exponent % 10 == 0 && (v & 0x07) != 0;
                        } else {
                            keepOriginal = scale % 3 == 0 && !digits.endsWith("000") && digits.charAt(0) != '0';
                        }
                    }
                }
            }
        }

        // --- the exact value
        BigDecimal amount = new BigDecimal(new BigInteger(digits), denom.length());
        if (base == 10) {
            try {
                amount = amount.scaleByPowerOfTen(exponent);
            } catch (ArithmeticException e) {
                throw new InvalidQuantityException(str, "exponent out of range");
            }
        } else {
            amount = new BigDecimal(amount.unscaledValue().shiftLeft(exponent), amount.scale());
        }
        if (!fast) {
            // round a non-zero value up (away from zero) to nano
            if (amount.signum() != 0) {
                if (amount.compareTo(NANO) < 0) {
                    amount = NANO;
                } else if (amount.scale() > 9) {
                    amount = amount.setScale(9, RoundingMode.UP);
                }
            }
            if (format == Format.BINARY_SI && amount.compareTo(MAX_INT64) > 0) {
                amount = MAX_INT64;
            }
            if (format == Format.BINARY_SI && amount.signum() > 0 && amount.compareTo(BigDecimal.ONE) < 0) {
                format = Format.DECIMAL_SI;
            }
        }
        if (!positive) {
            amount = amount.negate();
        }
        return new Quantity(amount, format, keepOriginal ? str : null);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Exponent of a decimal-SI suffix, or MIN_VALUE when it is none. */
    private static int decimalExponent(String suffix) {
        switch (suffix) {
            case "n": return -9;
            case "u": return -6;
            case "m": return -3;
            case "": return 0;
            case "k": return 3;
            case "M": return 6;
            case "G": return 9;
            case "T": return 12;
            case "P": return 15;
            case "E": return 18;
            default: return Integer.MIN_VALUE;
        }
    }

    private static int binaryIndex(String suffix) {
        for (int i = 1; i < BINARY_SUFFIXES.length; i++) {
            if (BINARY_SUFFIXES[i].equals(suffix)) {
                return i;
            }
        }
        return -1;
    }

    private static String decimalSuffix(int exponent) {
        switch (exponent) {
            case -9: return "n";
            case -6: return "u";
            case -3: return "m";
            case 0: return "";
            case 3: return "k";
            case 6: return "M";
            case 9: return "G";
            case 12: return "T";
            case 15: return "P";
            case 18: return "E";
            default: return null;
        }
    }

    public BigDecimal value() {
        return value;
    }

    public Format format() {
        return format;
    }

    public int signum() {
        return value.signum();
    }

    /** Like Kubernetes' {@code Value()}: the value rounded up (away from zero) to a whole number. */
    public BigInteger ceilValue() {
        if (value.compareTo(MAX_INT64) > 0) {
            return BigInteger.valueOf(Long.MAX_VALUE); // Kubernetes overflows here; we saturate
        }
        if (value.compareTo(MAX_INT64.negate()) < 0) {
            return BigInteger.valueOf(-Long.MAX_VALUE);
        }
        return value.setScale(0, RoundingMode.UP).toBigIntegerExact();
    }

    /** True when the quantity is a whole number of units (bytes, for storage). */
    public boolean isWhole() {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity && ((Quantity) o).value.compareTo(value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    /** The string Kubernetes prints for this quantity (its canonical form, or the input when that was kept). */
    @Override
    public String toString() {
        return original != null ? original : canonical();
    }

    /** The canonical form: no fractional digits, the largest exponent (suffix) that loses no precision. */
    public String canonical() {
        if (value.signum() == 0) {
            return "0";
        }
        Format f = format;
        BigInteger whole = null;
        if (f == Format.BINARY_SI) {
            if (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0) {
                f = Format.DECIMAL_SI;
            } else if (!isWhole()) {
                f = Format.DECIMAL_SI;
            } else {
                whole = value.toBigIntegerExact();
            }
        }
        if (f == Format.BINARY_SI) {
            BigInteger m = whole.abs();
            int times = 0;
            while (times < 6 && m.mod(K1024).signum() == 0) {
                m = m.divide(K1024);
                times++;
            }
            return (whole.signum() < 0 ? "-" : "") + m + BINARY_SUFFIXES[times];
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN);
            exponent--;
        }
        String suffix;
        if (f == Format.DECIMAL_SI) {
            suffix = decimalSuffix(exponent);
            if (suffix == null) {
                suffix = "e" + exponent;
            }
        } else {
            suffix = exponent == 0 ? "" : "e" + exponent;
        }
        return mantissa + suffix;
    }

    /** Human-readable size in bytes with both unit families, for diagnostics. */
    public String describeBytes() {
        BigInteger bytes = ceilValue();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%,d bytes", bytes));
        BigDecimal b = new BigDecimal(bytes);
        BigDecimal gi = b.divide(BigDecimal.valueOf(1L << 30), 2, RoundingMode.HALF_UP);
        BigDecimal g = b.divide(BigDecimal.valueOf(1_000_000_000L), 2, RoundingMode.HALF_UP);
        sb.append(" = ").append(g.stripTrailingZeros().toPlainString()).append("G = ")
                .append(gi.stripTrailingZeros().toPlainString()).append("Gi");
        return sb.toString();
    }
}
