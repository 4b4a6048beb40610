package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgenfsd.manifest.Quantity.Format;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Examples are the ones in Kubernetes' own quantity tests and documentation. */
class QuantityTest {

    private static void assertValue(String input, String expected, Format format) {
        Quantity q = Quantity.parse(input);
        assertThat(q.value()).as(input).isEqualByComparingTo(new BigDecimal(expected));
        assertThat(q.format()).as(input + " format").isEqualTo(format);
    }

    @ParameterizedTest(name = "{0} parses to {1} ({2})")
    @CsvSource({
        "0, 0, DECIMAL_SI", "0n, 0, DECIMAL_SI", "0u, 0, DECIMAL_SI", "0m, 0, DECIMAL_SI", "0Ki, 0, BINARY_SI",
        "0k, 0, DECIMAL_SI", "0Mi, 0, BINARY_SI", "0M, 0, DECIMAL_SI", "0Gi, 0, BINARY_SI", "0G, 0, DECIMAL_SI",
        "0Ti, 0, BINARY_SI", "0T, 0, DECIMAL_SI", "1, 1, DECIMAL_SI",
        "1Ki, 1024, BINARY_SI", "8Ki, 8192, BINARY_SI", "7Mi, 7340032, BINARY_SI", "6Gi, 6442450944, BINARY_SI",
        "5Ti, 5497558138880, BINARY_SI", "4Pi, 4503599627370496, BINARY_SI", "3Ei, 3458764513820540928, BINARY_SI",
        "10Ti, 10995116277760, BINARY_SI", "100Ti, 109951162777600, BINARY_SI",
        "5n, 5E-9, DECIMAL_SI", "4u, 4E-6, DECIMAL_SI", "3m, 0.003, DECIMAL_SI", "9, 9, DECIMAL_SI",
        "8k, 8000, DECIMAL_SI", "50k, 50000, DECIMAL_SI", "7M, 7E6, DECIMAL_SI", "6G, 6E9, DECIMAL_SI",
        "5T, 5E12, DECIMAL_SI", "40T, 4E13, DECIMAL_SI", "300T, 3E14, DECIMAL_SI", "2P, 2E15, DECIMAL_SI",
        "1E, 1E18, DECIMAL_SI",
        "1E-3, 0.001, DECIMAL_EXPONENT", "1e3, 1000, DECIMAL_EXPONENT", "1E6, 1E6, DECIMAL_EXPONENT",
        "1e9, 1E9, DECIMAL_EXPONENT", "1E12, 1E12, DECIMAL_EXPONENT", "1e15, 1E15, DECIMAL_EXPONENT",
        "1E18, 1E18, DECIMAL_EXPONENT", "1e14, 1E14, DECIMAL_EXPONENT", "1e13, 1E13, DECIMAL_EXPONENT",
        "100.035k, 100035, DECIMAL_SI",
        "0.001, 0.001, DECIMAL_SI", "0.0005k, 0.5, DECIMAL_SI", "0.005, 0.005, DECIMAL_SI", "0.05, 0.05, DECIMAL_SI",
        "0.5, 0.5, DECIMAL_SI", "0.00050k, 0.5, DECIMAL_SI", "0.00500, 0.005, DECIMAL_SI",
        "0.05000, 0.05, DECIMAL_SI", "0.50000, 0.5, DECIMAL_SI", "0.5e0, 0.5, DECIMAL_EXPONENT",
        "0.5e-1, 0.05, DECIMAL_EXPONENT", "0.5e-2, 0.005, DECIMAL_EXPONENT", "10.035M, 10035000, DECIMAL_SI",
        "1.2e3, 1200, DECIMAL_EXPONENT", "1.3E+6, 1300000, DECIMAL_EXPONENT", "1.40e9, 1.4E9, DECIMAL_EXPONENT",
        "1.53E12, 1.53E12, DECIMAL_EXPONENT", "1.6e15, 1.6E15, DECIMAL_EXPONENT", "1.7E18, 1.7E18, DECIMAL_EXPONENT",
        "9.01, 9.01, DECIMAL_SI", "8.1k, 8100, DECIMAL_SI", "7.123456M, 7123456, DECIMAL_SI",
        "6.987654321G, 6987654321, DECIMAL_SI", "5.444T, 5.444E12, DECIMAL_SI", "40.1T, 4.01E13, DECIMAL_SI",
        "300.2T, 3.002E14, DECIMAL_SI", "2.5P, 2.5E15, DECIMAL_SI", "1.01E, 1.01E18, DECIMAL_SI",
        "100.035Ki, 102435.84, BINARY_SI", "0.5Mi, 524288, BINARY_SI", "0.05Gi, 53687091.2, BINARY_SI",
        "0.025Ti, 27487790694.4, BINARY_SI",
        ".001, 0.001, DECIMAL_SI", ".0001k, 0.1, DECIMAL_SI", "1., 1, DECIMAL_SI", "1.G, 1E9, DECIMAL_SI",
        "12E, 1.2E19, DECIMAL_SI"
    })
    void parsesTheExamplesOfKubernetesQuantityTestsToTheSameValueAndFormat(String in, String value, Format f) {
        assertValue(in, value, f);
        assertValue("+" + in, value, f);
        assertValue("-" + in, new BigDecimal(value).negate().toPlainString(), f);
    }

    @ParameterizedTest(name = "{0} rounds up to {1}")
    @CsvSource({
        "3.001n, 4E-9, DECIMAL_SI", "1.1E-9, 2E-9, DECIMAL_EXPONENT", "0.0000000001, 1E-9, DECIMAL_SI",
        "0.0000000005, 1E-9, DECIMAL_SI", "0.00000000050, 1E-9, DECIMAL_SI", "0.5e-9, 1E-9, DECIMAL_EXPONENT",
        "0.9n, 1E-9, DECIMAL_SI", "0.00000012345, 1.24E-7, DECIMAL_SI", "0.00000012354, 1.24E-7, DECIMAL_SI",
        "0.000000000001Ki, 2E-9, DECIMAL_SI"
    })
    void roundsNonZeroValuesAwayFromZeroToNanoAndDowngradesTinyBinaryValuesToDecimal(String in, String v, Format f) {
        assertValue(in, v, f);
        assertValue("-" + in, new BigDecimal(v).negate().toPlainString(), f);
    }

    @ParameterizedTest(name = "{0} is capped at 2^63-1")
    @ValueSource(strings = {"9Ei", "9223372036854775807Ki"})
    void capsBinaryQuantitiesAtMaxInt64ButNotDecimalOnes(String in) {
        assertValue(in, String.valueOf(Long.MAX_VALUE), Format.BINARY_SI);
        assertValue("-" + in, String.valueOf(-Long.MAX_VALUE), Format.BINARY_SI);
        assertThat(Quantity.parse("18446744073709551616").value()).isEqualByComparingTo("18446744073709551616");
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
        " 1", "1 ", "5gi", "5GI", "5g", "5kb", "5K", "5Gib", "1e", "5 Gi", "1k3", "1e1.5", "--1", "1,5"})
    void rejectsWhatKubernetesRejectsIncludingWrongCaseSuffixes(String in) {
        assertThatThrownBy(() -> Quantity.parse(in)).isInstanceOf(Quantity.InvalidQuantityException.class)
                .hasMessageContaining("invalid quantity");
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "1Ki, 1Ki", "1Mi, 1Mi", "1Gi, 1Gi", "1024Mi, 1Gi", "1000M, 1G", ".001Ki, 1024m", ".000001Ki, 1024u",
        ".000000001Ki, 1024n", ".000000000001Ki, 2n",
        "307200Ki, 300Mi", "1025024Mi, 1001Gi", "1024Gi, 1Ti", "5000m, 5", "0.5, 500m", "1000M, 1G",
        "0.001T, 1G", "1000u, 1m", "1.08, 1080m", "1080000000n, 1080m", "1000E, 1e21", "5000E, 5e21",
        "1000000E, 1e24", ".001e12, 1e9", "0.001e0, 1e-3", "1000e-12, 1e-9", "00, 0",
        "1.5, 1500m", "1.5Gi, 1536Mi", "1.2345, 1234500u", "8Ki, 8Ki", "1e4, 10e3", "1.5Ki, 1536", "5, 5",
        "5G, 5G", "5Gi, 5Gi", "5000000000, 5G", "1536Mi, 1536Mi", "2048Ki, 2Mi", "1.1Ki, 1126400m", "0.5Gi, 512Mi"
    })
    void printsTheCanonicalFormKubernetesPrints(String in, String out) {
        assertThat(Quantity.parse(in).toString()).isEqualTo(out);
        Quantity neg = Quantity.parse("-" + in);
        if (neg.signum() != 0) {
            assertThat(neg.toString()).isEqualTo("-" + out);
        }
    }

    @Test
    void keepsTheInputStringWhereKubernetesKeepsItAndCanonicalizesOtherwise() {
        // Kubernetes reuses the input when it is already in canonical shape (even with a leading + or zeros)
        assertThat(Quantity.parse("+5G").toString()).isEqualTo("+5G");
        assertThat(Quantity.parse("+5G").canonical()).isEqualTo("5G");
        assertThat(Quantity.parse("1e3").toString()).isEqualTo("1e3");
        assertThat(Quantity.parse("1025Ki").toString()).isEqualTo("1025Ki");
        assertThat(Quantity.parse("5.0G").toString()).isEqualTo("5G");
    }

    @Test
    void treatsLoneSignsAndDotsAsZeroAsKubernetesScannerDoes() {
        for (String s : new String[] {".", "-.", "+", "-", "000", "-0", ".Ki", "0.0"}) {
            assertThat(Quantity.parse(s).signum()).as(s).isZero();
            assertThat(Quantity.parse(s).toString()).as(s).isEqualTo("0");
        }
    }

    @Test
    void distinguishesMilliFromMegaAndDecimalFromBinary() {
        assertThat(Quantity.parse("5m").value()).isEqualByComparingTo("0.005");
        assertThat(Quantity.parse("5M").value()).isEqualByComparingTo("5000000");
        assertThat(Quantity.parse("5G").compareTo(Quantity.parse("5Gi"))).isNegative();
        assertThat(Quantity.parse("5G").ceilValue()).isEqualTo(BigInteger.valueOf(5_000_000_000L));
        assertThat(Quantity.parse("500m").ceilValue()).isEqualTo(BigInteger.ONE);
        assertThat(Quantity.parse("10000T").compareTo(Quantity.parse("100Gi"))).isPositive();
    }

    @Test
    void seededRandomQuantitiesSurviveAPrintAndParseRoundTripWithTheSameValue() {
        Random rnd = new Random(20260417L);
        String[] suffixes = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
            "e3", "e-3", "E6", "e0", "e-9", "e21"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                sb.append(rnd.nextBoolean() ? '-' : '+');
            }
            sb.append(Long.toString(Math.abs(rnd.nextLong()) % (rnd.nextBoolean() ? 10_000 : Long.MAX_VALUE)));
            if (rnd.nextInt(3) == 0) {
                sb.append('.').append(rnd.nextInt(100_000));
            }
            sb.append(suffixes[rnd.nextInt(suffixes.length)]);
            String in = sb.toString();
            Quantity q = Quantity.parse(in);
            Quantity again = Quantity.parse(q.toString());
            assertThat(again.value()).as(in + " -> " + q).isEqualByComparingTo(q.value());
            assertThat(Quantity.parse(q.canonical()).canonical()).as(in).isEqualTo(q.canonical());
            // a canonical form has no fractional digits
            assertThat(q.canonical()).as(in).doesNotContain(".");
        }
    }

    @Test
    void agreesWithFabric8OnTheByteCountOfSeededRandomWholeQuantities() {
        Random rnd = new Random(7L);
        String[] suffixes = {"", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"};
        for (int i = 0; i < 5_000; i++) {
            String in = (1 + rnd.nextInt(100_000)) + suffixes[rnd.nextInt(suffixes.length)];
            BigDecimal theirs = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(in));
            assertThat(Quantity.parse(in).value()).as(in).isEqualByComparingTo(theirs);
        }
    }
}
