package dev.plumb.deploy.policy;

import dev.plumb.deploy.definition.Problem;
import dev.plumb.deploy.definition.ServiceDefinition;
import dev.plumb.deploy.definition.ServiceDefinition.EnvVar;
import dev.plumb.deploy.definition.ServicesFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The platform's rules for a service definition. Each broken rule is a {@link Problem} naming the
 * service, the field and the fix:
 * <ul>
 *   <li>secrets only by reference: a literal value for a variable whose name looks secret
 *       ({@code *PASSWORD*}, {@code *TOKEN*}, {@code *SECRET*}, {@code *_KEY}, {@code *CREDENTIAL*}),
 *       or a literal that carries credentials (a URL with {@code user:password@}, a
 *       {@code password=} parameter, a well-known token prefix);</li>
 *   <li>a stateful service has a backup;</li>
 *   <li>volumes are encrypted at rest: {@code encrypted} stays true and the storage class is one
 *       of the file's {@code encrypted_storage_classes};</li>
 *   <li>isolation between zones: a service accepts calls only from callers in its own zone (no
 *       zone is the zone {@code default});</li>
 *   <li>the image is pinned in prod: no {@code latest}, no missing tag (a warning elsewhere);</li>
 *   <li>memory limit at least the request; a readiness probe (warning); two or more replicas in prod (warning).</li>
 * </ul>
 */
public final class Policies {

    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|CREDENTIAL|PRIVATE|APIKEY|API_KEY).*"
                    + "|(.*[_.-])?(PASS|PWD)([_.-].*)?|.*[_.-]KEY|KEY");
    // user:password@ in any URL-like value, the user possibly empty (jdbc:mysql://…, redis://:pw@…)
    private static final Pattern URL_WITH_CREDENTIALS = Pattern.compile("(?s).*://[^/\\s@]*:[^@\\s/]+@.*");
    // password=…, access_token=…, api_key=… as a URL parameter or a key=value connection string
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile(
            "(?is)(^|.*[?&;\\s])[\\w.-]*(password|passwd|pwd|secret|token|api_?key)=[^&;\\s]+.*");
    private static final Pattern TOKEN_VALUE = Pattern.compile(
            "(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{10,}|-----BEGIN .*PRIVATE KEY-----).*",
            Pattern.DOTALL);

    private Policies() {
    }

    /** Every policy problem of a parsed file, in the order of the file. */
    public static List<Problem> check(ServicesFile file) {
        List<Problem> out = new ArrayList<>();
        for (ServiceDefinition s : file.services()) {
            secretsByReference(file, s, out);
            image(file, s, out);
            stateful(file, s, out);
            zones(file, s, out);
            resources(file, s, out);
        }
        return out;
    }

    private static void secretsByReference(ServicesFile file, ServiceDefinition s, List<Problem> out) {
        for (int i = 0; i < s.env().size(); i++) {
            EnvVar e = s.env().get(i);
            if (e.fromSecret() || e.value() == null) {
                continue;
            }
            String field = s.name() + ".env[" + i + "].value";
            String fix = "store it in a Kubernetes Secret and write 'secret: " + s.name() + "-"
                    + e.name().toLowerCase(Locale.ROOT).replace('_', '-') + "' instead of 'value:'";
            String why = null;
            if (SECRET_NAME.matcher(e.name().toUpperCase(Locale.ROOT)).matches()) {
                why = e.name() + " looks like a secret but its value is written in the file";
            } else if (URL_WITH_CREDENTIALS.matcher(e.value()).matches()) {
                why = e.name() + " is a URL with a user and password in it";
            } else if (PASSWORD_PARAMETER.matcher(e.value()).matches()) {
                why = e.name() + " carries a password parameter";
            } else if (TOKEN_VALUE.matcher(e.value()).matches()) {
                why = e.name() + " holds what looks like an access token or private key";
            }
            if (why != null) {
                out.add(Problem.error(file.markOf(field), field, why + " (secrets only by reference)", fix));
            }
        }
    }

    private static void image(ServicesFile file, ServiceDefinition s, List<Problem> out) {
        if (s.image() == null) {
            return;
        }
        String field = s.name() + ".image";
        String image = s.image();
        if (image.contains("@sha256:")) {
            return;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        String tag = last.contains(":") ? last.substring(last.indexOf(':') + 1) : null;
        if (tag != null && !tag.equals("latest")) {
            return;
        }
        String message = (tag == null ? "the image has no tag, so it means latest" : "the image tag latest")
                + " can change under a running service, so a restart may run other code";
        String fix = "pin a version tag or a digest, such as " + image.replaceFirst(":latest$", "") + ":1.4.2";
        boolean prod = "prod".equals(file.environment());
        out.add(prod ? Problem.error(file.markOf(field), field, message + " (pinned images in prod)", fix)
                : Problem.warning(file.markOf(field), field, message + " (an error in environment prod)", fix));
    }

    private static void stateful(ServicesFile file, ServiceDefinition s, List<Problem> out) {
        if (s.stateful() == null) {
            return;
        }
        String p = s.name() + ".stateful";
        if (s.stateful().backup() == null) {
            out.add(Problem.error(file.markOf(p), p + ".backup", "a stateful service needs a backup",
                    "add 'backup: {schedule: \"0 2 * * *\", retention: 30d}' under stateful"));
        }
        if (!s.stateful().encrypted()) {
            out.add(Problem.error(file.markOf(p + ".encrypted"), p + ".encrypted",
                    "volumes must be encrypted at rest", "remove 'encrypted: false'"));
        }
        String storageClass = s.stateful().storageClass();
        if (storageClass != null && !file.encryptedStorageClasses().contains(storageClass)) {
            out.add(Problem.error(file.markOf(p + ".storage_class"), p + ".storage_class",
                    "storage class " + storageClass + " is not one of the encrypted storage classes "
                            + file.encryptedStorageClasses() + " (encryption at rest)",
                    "use one of " + file.encryptedStorageClasses() + ", or leave storage_class out"));
        }
    }

    private static void zones(ServicesFile file, ServiceDefinition s, List<Problem> out) {
        for (int i = 0; i < s.callers().size(); i++) {
            String callerName = s.callers().get(i);
            String field = s.name() + ".callers[" + i + "]";
            ServiceDefinition caller = file.service(callerName);
            if (caller == null) {
                out.add(Problem.warning(file.markOf(field), field, "caller " + callerName
                        + " is not defined in this file, so its zone cannot be checked",
                        "define " + callerName + " here, or check by hand that it runs in zone " + zoneOf(s)));
            } else if (!Objects.equals(zoneOf(caller), zoneOf(s))) {
                out.add(Problem.error(file.markOf(field), field, callerName + " in zone " + zoneOf(caller) + " may not call "
                        + s.name() + " in zone " + zoneOf(s) + " (isolation between zones)",
                        "remove " + callerName + " from callers, or run both services in the same zone"));
            }
        }
    }

    private static void resources(ServicesFile file, ServiceDefinition s, List<Problem> out) {
        var limits = s.limits();
        if (limits.memory() != null && s.memory() != null && s.memory().exceeds(limits.memory())) {
            String field = s.name() + ".limits.memory";
            out.add(Problem.error(file.markOf(field), field, "memory limit " + limits.memory().text()
                    + " is below the request " + s.memory().text(), "raise the limit to at least " + s.memory().text()));
        }
        if (limits.cpu() != null && s.cpu() != null && s.cpu().exceeds(limits.cpu())) {
            String field = s.name() + ".limits.cpu";
            out.add(Problem.error(file.markOf(field), field, "cpu limit " + limits.cpu().text()
                    + " is below the request " + s.cpu().text(), "raise the limit to at least " + s.cpu().text()));
        }
        if (s.readinessProbe() == null) {
            out.add(Problem.warning(file.markOf(s.name()), s.name() + ".readiness_probe",
                    "without a readiness probe, pods get traffic before they can serve it",
                    "add 'readiness_probe: {path: /health, interval: 10s}'"));
        }
        if ("prod".equals(file.environment()) && s.autoscaling() == null && s.replicas() < 2) {
            String field = s.name() + ".replicas";
            out.add(Problem.warning(file.markOf(field), field, "one replica is down during every rollout and node drain",
                    "set replicas: 2 or more"));
        }
    }

    private static String zoneOf(ServiceDefinition s) {
        return s.zone() == null ? "default" : s.zone();
    }
}
