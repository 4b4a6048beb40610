package io.edgenfsd.xdr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** fattr4's attr_vals carry the attributes in ascending attribute number (RFC 8881 section 3.3, fattr4). */
class AttributesOrderTest {
    @Test
    void supportedAttributesAreEncodedInStrictlyAscendingAttributeNumberOrder() {
        int[] order = Attributes.encodingOrder();
        assertThat(order).isNotEmpty();
        for (int i = 1; i < order.length; i++) {
            assertThat(order[i]).as("attribute after %d", order[i - 1]).isGreaterThan(order[i - 1]);
        }
    }

    @Test
    void everyEncodedAttributeIsInTheSupportedBitmap() {
        for (int bit : Attributes.encodingOrder()) {
            assertThat(Attributes.isSet(Attributes.SUPPORTED, bit)).as("attribute %d", bit).isTrue();
        }
    }
}
