package io.edgenfsd.manifest;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edge-nfsd manifest}: prints PV/PVC (or StorageClass/PVC) YAML that binds to this NFS server. */
@Command(name = "manifest", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        versionProvider = ManifestCommand.Version.class,
        subcommands = {CheckCommand.class, MigrateCommand.class, CommandLine.HelpCommand.class},
        description = {
            "Print a PersistentVolume and PersistentVolumeClaim (or, with --csi, a csi-driver-nfs StorageClass"
                    + " and claims) that bind to this NFS server on k3s/Kubernetes.",
            "YAML goes to stdout, notes and warnings to stderr, so the output can be piped into kubectl."},
        footer = {"",
            "Examples:",
            "  edge-nfsd manifest --name pv001 --size 5Gi --claim pv-claim | kubectl apply -f -",
            "  edge-nfsd manifest --server 192.168.1.10 --size 20Gi --access-mode RWO --namespace media",
            "  edge-nfsd manifest --name data001 --count 3 --subdir --size 1Gi      # data001..data003, own dirs",
            "  edge-nfsd manifest --csi --storage-class edge-nfs --claim app-data --size 2Gi",
            "  edge-nfsd manifest --csi --server 192.168.1.11 --storage-class edge-nfs-pi2   # a second server",
            "  edge-nfsd manifest migrate --from-claim pv-claim --to-claim longhorn-claim   # copy onto other storage",
            "  edge-nfsd manifest check pv.yaml pvc.yaml          # why does my claim not bind?",
            "  kubectl get pv,pvc -A -o yaml | edge-nfsd manifest check -",
            "",
            "Exit status: 0 printed; 2 bad flags (the message names the flag)."})
public class ManifestCommand implements Callable<Integer> {

    /** Where the local interfaces come from (replaceable in tests). */
    @FunctionalInterface
    public interface InterfaceSource {
        List<ServerAddress.Iface> get() throws SocketException;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ManifestCommand.class.getPackage().getImplementationVersion();
            return new String[] {"edge-nfsd manifest " + (v == null ? "(development build)" : v)};
        }
    }

    @Spec
    CommandSpec spec;

    private final InterfaceSource interfaces;

    @Option(names = "--server", paramLabel = "ADDRESS",
            description = "NFS server address as clients reach it (default: this host's primary non-loopback"
                    + " address, read from the local interfaces; printed to stderr with how it was chosen).")
    String server;

    @Option(names = "--allow-loopback", description = "Accept a loopback address (single-node tests only).")
    boolean allowLoopback;

    @Option(names = "--path", paramLabel = "DIR", defaultValue = "/var/nfs-k8s",
            description = "Exported directory (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "nfs-pv",
            description = "PersistentVolume name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--size", paramLabel = "QUANTITY", defaultValue = "1Gi",
            description = "Capacity and request, a Kubernetes quantity such as 5Gi (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--access-mode", paramLabel = "MODE", split = ",",
            description = "RWO, ROX, RWX or RWOP (or the API names); repeatable (default: RWX).")
    List<String> accessModes = new ArrayList<>();

    @Option(names = "--claim", paramLabel = "NAME", description = "PersistentVolumeClaim name (default: NAME-claim).")
    String claim;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "Namespace of the claim (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--storage-class", paramLabel = "CLASS",
            description = "The same storageClassName on PV and PVC (default: \"\", so no default class is"
                    + " injected; with --csi: " + ManifestGenerator.DEFAULT_CSI_CLASS + ").")
    String storageClass;

    @Option(names = "--reclaim-policy", paramLabel = "POLICY", defaultValue = "Retain",
            description = "Retain (default), Recycle (deprecated, warns) or, with --csi only, Delete.")
    String reclaimPolicy;

    @Option(names = "--mount-option", paramLabel = "OPT",
            description = "NFS mount option, repeatable (default: hard, nfsvers=4.1).")
    List<String> mountOptions = new ArrayList<>();

    @Option(names = "--volume-mode", paramLabel = "MODE", defaultValue = "Filesystem",
            description = "Filesystem (default; NFS cannot be Block).")
    String volumeMode;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for every object, repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Emit N PV/PVC pairs; names count up (pv001, pv002...) or get -1, -2...")
    int count;

    @Option(names = "--subdir", description = "Give each PV its own directory PATH/NAME; created here (with"
            + " --subdir-mode and --subdir-owner) when PATH exists on this host. With --csi: subDir per claim.")
    boolean subdir;

    @Option(names = "--subdir-mode", paramLabel = "OCTAL", defaultValue = "0777",
            description = "Mode of created subdirectories (default: ${DEFAULT-VALUE}).")
    String subdirMode;

    @Option(names = "--subdir-owner", paramLabel = "UID[:GID]",
            description = "Owner of created subdirectories (default: whoever runs this).")
    String subdirOwner;

    @Option(names = "--exports-file", paramLabel = "FILE",
            description = "With --subdir: append each PV directory's export line (with capacity=SIZE, enforced by"
                    + " edge-nfsd) to FILE, e.g. /etc/edge-nfsd/exports.d/k8s.exports; then run 'edge-nfsd reload'."
                    + " Without it the lines are printed to stderr.")
    Path exportsFile;

    @Option(names = "--csi", description = "Emit a StorageClass for kubernetes-csi/csi-driver-nfs (dynamic"
            + " provisioning) and claims of it, instead of static PVs.")
    boolean csi;

    @Option(names = "--on-delete", paramLabel = "ACTION", defaultValue = "retain",
            description = "--csi: what the driver does with a deleted volume's directory: delete, retain (default),"
                    + " archive.")
    String onDelete;

    @Option(names = "--mount-permissions", paramLabel = "OCTAL", defaultValue = "0",
            description = "--csi: mode the driver sets on new volume directories (default: 0 = leave as is).")
    String mountPermissions;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml (default) or json.")
    String output;

    public ManifestCommand() {
        this(ServerAddress::localInterfaces);
    }

    public ManifestCommand(InterfaceSource interfaces) {
        this.interfaces = interfaces;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int usageError(String message) {
        err().println("edge-nfsd manifest: " + message);
        err().flush();
        return 2;
    }

    @Override
    public Integer call() {
        ManifestOptions o = new ManifestOptions();
        List<String> errors = new ArrayList<>();
        if (!output.equals("yaml") && !output.equals("json")) {
            errors.add("--output: '" + output + "' is not yaml or json");
        }
        try {
            o.size = Quantity.parse(size);
        } catch (Quantity.InvalidQuantityException e) {
            errors.add("--size: " + e.getMessage());
        }
        o.accessModes.clear();
        if (accessModes.isEmpty()) {
            o.accessModes.add(AccessMode.RWX);
        }
        for (String m : accessModes) {
            try {
                o.accessModes.add(AccessMode.parse(m.trim()));
            } catch (IllegalArgumentException e) {
                errors.add("--access-mode: " + e.getMessage());
            }
        }
        if (server != null) {
            String why = ServerAddress.checkExplicit(server, allowLoopback);
            if (why != null) {
                errors.add("--server: " + why);
            }
            o.server = server;
        }
        if (!errors.isEmpty()) {
            errors.forEach(this::usageError);
            return 2;
        }
        o.path = path;
        o.name = name;
        o.claim = claim;
        o.namespace = namespace;
        o.storageClass = storageClass;
        o.reclaimPolicy = reclaimPolicy;
        if (!mountOptions.isEmpty()) {
            o.mountOptions = new ArrayList<>(mountOptions);
        }
        o.volumeMode = volumeMode;
        o.labels = new LinkedHashMap<>(labels);
        o.count = count;
        o.subdir = subdir;
        o.csi = csi;
        o.onDelete = onDelete;
        o.mountPermissions = mountPermissions;
        if (subdir && !csi) {
            String why = checkMode(subdirMode);
            if (why != null) {
                errors.add("--subdir-mode: " + why);
            }
            if (subdirOwner != null && !subdirOwner.matches("[0-9]+(:[0-9]+)?")) {
                errors.add("--subdir-owner: '" + subdirOwner + "' must be UID or UID:GID (numbers)");
            }
        }
        if (o.server == null) {
            try {
                ServerAddress.Choice choice = ServerAddress.choose(interfaces.get(), allowLoopback);
                o.server = choice.address;
                err().println("edge-nfsd manifest: --server not given; using " + choice.address + ": " + choice.how);
            } catch (ServerAddress.NoAddressException e) {
                errors.add("--server: " + e.getMessage());
            } catch (SocketException e) {
                errors.add("--server: cannot read the local interfaces (" + e.getMessage() + "); pass --server");
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(this::usageError);
            return 2;
        }
        ManifestGenerator.Result r = ManifestGenerator.generate(o);
        if (!r.ok()) {
            r.errors.forEach(this::usageError);
            return 2;
        }
        for (String w : r.warnings) {
            err().println("warning: " + w);
        }
        if (!r.subdirectories.isEmpty()) {
            createSubdirectories(r.subdirectories);
            exportSubdirectories(r.subdirectories);
        }
        out().print(output.equals("json") ? Emitter.json(r.documents) : Emitter.yaml(r.documents));
        out().flush();
        err().flush();
        return 0;
    }

    private void exportSubdirectories(List<String> dirs) {
        if (exportsFile == null) {
            for (String d : dirs) {
                err().println("export line: " + SubdirExports.line(d, size));
            }
            err().println("note: add these lines to the server's exports (or use --exports-file), then run "
                    + "'edge-nfsd reload'");
            return;
        }
        try {
            for (String l : SubdirExports.append(exportsFile, dirs, size)) {
                err().println("added to " + exportsFile + ": " + l);
            }
            err().println("note: run 'edge-nfsd reload' (or 'systemctl reload edge-nfsd') to serve them");
        } catch (IOException e) {
            err().println("warning: could not add the export lines to " + exportsFile + ": " + e);
        }
    }

    static String checkMode(String mode) {
        return mode.matches("0?[0-7]{3}") ? null : "'" + mode + "' is not an octal mode such as 0777 or 0755";
    }

    private void createSubdirectories(List<String> dirs) {
        Path export = Paths.get(path);
        if (!Files.isDirectory(export, LinkOption.NOFOLLOW_LINKS)) {
            err().println("note: " + path + " is not a directory on this host, so the subdirectories were not"
                    + " created; on the NFS server run: mkdir -p -m " + subdirMode + " " + String.join(" ", dirs));
            return;
        }
        int mode = Integer.parseInt(subdirMode, 8);
        for (String d : dirs) {
            Path p = Paths.get(d);
            try {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(p);
                    err().println("created " + d);
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    err().println("warning: " + d + " exists and is not a directory");
                    continue;
                }
                Files.setPosixFilePermissions(p, permissions(mode));
                if (subdirOwner != null) {
                    String[] ids = subdirOwner.split(":");
                    Files.setAttribute(p, "unix:uid", Integer.parseInt(ids[0]), LinkOption.NOFOLLOW_LINKS);
                    if (ids.length > 1) {
                        Files.setAttribute(p, "unix:gid", Integer.parseInt(ids[1]), LinkOption.NOFOLLOW_LINKS);
                    }
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                err().println("warning: could not prepare " + d + ": " + e);
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }
}
