package io.edgenfsd.vfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Owner strings (RFC 8881 section 5.9): AUTH_SYS clients such as Linux send numeric strings ("1000"); we
 * answer in the same form and also accept "name@domain" or "name", mapped through the local passwd/group.
 */
public final class IdMapper {
    private final Path passwd;
    private final Path group;

    public IdMapper() {
        this(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    IdMapper(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    public String ownerString(int id) {
        return Integer.toUnsignedString(id);
    }

    public OptionalInt parseUser(String s) {
        return parse(s, passwd);
    }

    public OptionalInt parseGroup(String s) {
        return parse(s, group);
    }

    private static OptionalInt parse(String s, Path db) {
        if (s.isEmpty()) {
            return OptionalInt.empty();
        }
        String name = s;
        int at = s.indexOf('@');
        if (at >= 0) {
            name = s.substring(0, at);
        }
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() <= 10) {
            long v = Long.parseLong(name);
            return v <= 0xFFFFFFFFL ? OptionalInt.of((int) v) : OptionalInt.empty();
        }
        Integer id = names(db).get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    private static Map<String, Integer> names(Path db) {
        Map<String, Integer> m = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(db);
            for (String line : lines) {
                String[] f = line.split(":");
                if (f.length >= 3) {
                    try {
                        m.put(f[0], Integer.parseInt(f[2]));
                    } catch (NumberFormatException ignored) {
                        // malformed line in the database: skip it
                    }
                }
            }
        } catch (IOException ignored) {
            // no database: only numeric owners
        }
        return m;
    }
}
