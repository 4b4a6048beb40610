package io.edgenfsd.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportOptionsTest {

    @Test
    void knfsdDefaultsAreRoSyncRootSquashSecureWdelayNoSubtreeCheckAnon65534() {
        ExportOptions d = ExportOptions.knfsdDefaults();
        assertThat(d.readOnly()).isTrue();
        assertThat(d.sync()).isTrue();
        assertThat(d.rootSquash()).isTrue();
        assertThat(d.allSquash()).isFalse();
        assertThat(d.secure()).isTrue();
        assertThat(d.wdelay()).isTrue();
        assertThat(d.subtreeCheck()).isFalse();
        assertThat(d.crossmnt()).isFalse();
        assertThat(d.noHide()).isFalse();
        assertThat(d.fsid()).isNull();
        assertThat(d.anonUid()).isEqualTo(65534);
        assertThat(d.anonGid()).isEqualTo(65534);
    }

    private static ExportOptions opts(boolean rootSquash, boolean allSquash) {
        return new ExportOptions(false, true, rootSquash, allSquash, 1234, 5678, true, false, false, null, false,
                true, true);
    }

    @Test
    void rootSquashMapsUidZeroAndGidZeroIncludingSupplementaryGroups() {
        SquashedCredentials c = opts(true, false).squash(0, 0, new int[] {0, 4, 0, 27});
        assertThat(c.uid()).isEqualTo(1234);
        assertThat(c.gid()).isEqualTo(5678);
        assertThat(c.gids()).containsExactly(5678, 4, 5678, 27);
    }

    @Test
    void rootSquashLeavesOrdinaryUsersAlone() {
        SquashedCredentials c = opts(true, false).squash(1000, 1000, new int[] {4, 24});
        assertThat(c).isEqualTo(new SquashedCredentials(1000, 1000, new int[] {4, 24}));
    }

    @Test
    void rootSquashMapsGidZeroEvenForNonRootUid() {
        SquashedCredentials c = opts(true, false).squash(1000, 0, new int[] {0});
        assertThat(c.uid()).isEqualTo(1000);
        assertThat(c.gid()).isEqualTo(5678);
        assertThat(c.gids()).containsExactly(5678);
    }

    @Test
    void noRootSquashKeepsRoot() {
        SquashedCredentials c = opts(false, false).squash(0, 0, new int[] {0});
        assertThat(c).isEqualTo(new SquashedCredentials(0, 0, new int[] {0}));
    }

    @Test
    void allSquashMapsEveryoneToAnonAndDropsSupplementaryGroups() {
        assertThat(opts(false, true).squash(1000, 100, new int[] {4, 24}))
                .isEqualTo(new SquashedCredentials(1234, 5678, new int[0]));
        assertThat(opts(false, true).squash(0, 0, new int[] {0}))
                .isEqualTo(new SquashedCredentials(1234, 5678, new int[0]));
    }

    @Test
    void uidMinusOneIsMappedToAnonLikeTheKernelDoes() {
        SquashedCredentials c = opts(false, false).squash(-1, -1, null);
        assertThat(c.uid()).isEqualTo(1234);
        assertThat(c.gid()).isEqualTo(5678);
        assertThat(c.gids()).isEmpty();
    }

    @Test
    void squashDoesNotModifyTheCallersArray() {
        int[] groups = {0, 1};
        opts(true, false).squash(0, 0, groups);
        assertThat(groups).containsExactly(0, 1);
    }

    @Test
    void toExportsStringSpellsOptionsTheKnfsdWay() {
        assertThat(ExportOptions.knfsdDefaults().toExportsString())
                .isEqualTo("ro,sync,wdelay,hide,no_subtree_check,secure,root_squash,no_all_squash,"
                        + "anonuid=65534,anongid=65534,sec=sys");
    }
}
