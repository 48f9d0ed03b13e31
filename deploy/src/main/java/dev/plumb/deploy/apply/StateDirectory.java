package dev.plumb.deploy.apply;

import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.ManifestFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * The last applied objects, one YAML file each, in a directory that only plumb writes. Without a
 * Kubernetes API it is the deployment; with one it remembers which objects plumb owns, so that a
 * service removed from the file is deleted from the cluster.
 */
public final class StateDirectory implements DeployTarget {

    private final Path dir;

    public StateDirectory(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<KubeObject> current(List<KubeObject> desired) {
        return ManifestFiles.read(dir);
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void apply(Plan plan, List<KubeObject> desired) {
        ManifestFiles.replace(dir, desired);
    }

    @Override
    public String describe() {
        return "state directory " + dir;
    }
}
