package io.edgenfsd.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every native binding (JNA direct-mapped {@code native} methods and {@code Library} interfaces) that
 * passes or returns a Java {@code long} must be one whose C type is 64 bits on every ABI we ship for
 * (off64_t, loff_t, u64). size_t, ssize_t and long are 32 bits on armhf: declared as Java long they shift
 * every later argument there, which is how systemd never got READY=1 on the armhf guest (issue 17). Those
 * must be NativeLong. Adding a binding with a Java long means adding it here with its C type.
 */
class NativeBindingsTest {
    /** class.method -> why its Java longs are 64-bit C types. */
    private static final Map<String, String> SIXTY_FOUR_BIT = Map.of(
            "io.edgenfsd.vfs.linux.FdChannels$NoWaitIo.preadv64v2", "off_t offset (64-bit in the *64 entry point)",
            "io.edgenfsd.vfs.linux.FdChannels$Io.pread64", "off64_t offset",
            "io.edgenfsd.vfs.linux.FdChannels$Io.pwrite64", "off64_t offset",
            "io.edgenfsd.vfs.linux.At$Libc.ftruncate64", "off64_t length",
            "io.edgenfsd.vfs.linux.At$Libc.fallocate64", "off64_t offset and len",
            "io.edgenfsd.vfs.linux.At$Libc.lseek64", "off64_t offset and result",
            "io.edgenfsd.vfs.linux.At$CopyRange.copy_file_range", "loff_t *off_in/off_out (long[] = 64-bit cells)");

    @Test
    void noNativeBindingPassesAJavaLongWhereCHasACLongOrSizeT() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.edgenfsd");
        List<String> found = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        for (JavaClass c : classes) {
            boolean library = c.isInterface() && c.isAssignableTo("com.sun.jna.Library");
            for (JavaMethod m : c.getMethods()) {
                if (!library && !m.getModifiers().contains(JavaModifier.NATIVE)) {
                    continue;
                }
                String key = c.getName() + "." + m.getName();
                found.add(key);
                boolean usesLong = m.getRawReturnType().getName().equals("long")
                        || m.getRawParameterTypes().stream().anyMatch(t -> Set.of("long", "long[]").contains(t.getName()));
                if (usesLong && !SIXTY_FOUR_BIT.containsKey(key)) {
                    unlisted.add(key + m.getRawParameterTypes().stream().map(JavaClass::getSimpleName).toList());
                }
            }
        }
        assertThat(found).as("the scan sees the bindings").contains("io.edgenfsd.server.SystemdNotify.sendto");
        assertThat(unlisted).as("bindings with Java longs whose C type may be 32-bit").isEmpty();
        assertThat(found).as("every listed binding still exists").containsAll(SIXTY_FOUR_BIT.keySet());
    }
}
