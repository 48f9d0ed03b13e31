package dev.plumb.cli.cost;

import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.FocusExport;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.collector.DurationText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plumb cost import FILE} and {@code plumb cost export}: usage in and FOCUS rows out,
 * working on the data directory directly (the server must not hold it open).
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "Move usage and cost data in and out of Plumb's data directory.",
        subcommands = {CostCommand.Import.class, CostCommand.Export.class})
public final class CostCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: see plumb cost --help");
    }

    /** Where the data lives and how it is priced, as for {@code plumb serve}. */
    static final class DataDirOptions {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:PLUMB_DATA_DIR:-plumb-data}",
                description = "The data directory, as for serve (env PLUMB_DATA_DIR). Default: ${DEFAULT-VALUE}.")
        Path dataDir;

        @Option(names = "--pricing", paramLabel = "FILE", description = "The pricing file, as for serve."
                + " Default: OpenCost's on-premises prices in USD.")
        Path pricing;

        CostEngine open() {
            return CostEngine.open(dataDir, pricing == null ? Pricing.defaults() : Pricing.load(pricing));
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Load pod usage samples, or node capacity, from a CSV file (with a header line) or a Parquet file.",
                    "One row is one sample of one pod; it stands for the time until the pod's next sample.",
                    "Importing the same rows again replaces them."},
            footerHeading = "%nColumns (only pod and ts are required):%n",
            footer = {
                    "  pod                    pod name",
                    "  ts                     sample time: RFC 3339, a UTC timestamp, or epoch milliseconds",
                    "  namespace              Kubernetes namespace",
                    "  service                default: the pod name without its hash",
                    "  team                   default: the pricing file's team of the namespace, else the namespace",
                    "  node_pool              for node-pool price overrides",
                    "  labels                 pod labels as a JSON object, for label price overrides",
                    "  interval_seconds       sampling interval, for a pod's last sample (default: its usual gap)",
                    "  cpu_usage_cores        measured CPU",
                    "  cpu_request_cores      requested CPU",
                    "  memory_usage_bytes     measured memory (working set)",
                    "  memory_request_bytes   requested memory",
                    "  storage_bytes          volume capacity",
                    "  egress_region_bytes    bytes sent within the region from this sample to the next",
                    "  egress_internet_bytes  bytes sent to the internet from this sample to the next",
                    "",
                    "Node capacity (for idle cost): a file with a node column and no pod column, one row per",
                    "sample of one node, standing for the time until that node's next sample:",
                    "  node                      node name (required)",
                    "  ts                        sample time (required), as above",
                    "  node_pool                 for node-pool price overrides",
                    "  interval_seconds          sampling interval, for a node's last sample",
                    "  cpu_allocatable_cores     allocatable CPU",
                    "  memory_allocatable_bytes  allocatable memory (at least one of the two is required)",
                    "Over OTLP, node capacity is the gauges k8s.node.cpu.allocatable (or k8s.node.allocatable_cpu)",
                    "and k8s.node.memory.allocatable (or k8s.node.allocatable_memory) with k8s.node.name.",
                    "",
                    "Example:",
                    "  ./plumb cost import usage.parquet --data-dir /var/lib/plumb",
                    "",
                    "Exit codes: 0 imported, 1 the file or data directory was refused, 2 bad command line."})
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A .csv or .parquet file of pod usage samples.")
        Path file;

        @CommandLine.Mixin
        DataDirOptions store = new DataDirOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return CostCommand.run(spec, "import", () -> {
                try (CostEngine engine = store.open()) {
                    long n = engine.importUsage(file);
                    engine.refresh();
                    return "imported " + n + " usage samples from " + file + " into " + store.dataDir;
                }
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Write cost rows in the FinOps FOCUS column layout: one row per pod, day and",
                    "resource (cpu, memory, storage, egress-region, egress-internet), with BilledCost,",
                    "ChargePeriodStart/End, ServiceName, SubAccountId (the namespace), Tags (service, team,",
                    "namespace, node pool) and the other FOCUS columns."},
            footer = {"", "Example:", "  ./plumb cost export --since 30d --format parquet --out costs.parquet"})
    static final class Export implements Callable<Integer> {
        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "30d",
                description = "The period to export, ending now, such as 30d or 12h. Default: ${DEFAULT-VALUE}.")
        String since;

        @Option(names = "--format", paramLabel = "csv|parquet", defaultValue = "csv",
                description = "The file format. Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write.")
        Path out;

        @CommandLine.Mixin
        DataDirOptions store = new DataDirOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FocusExport.Format f;
            Instant now = Instant.now();
            TimeRange range;
            try {
                f = FocusExport.Format.parse(format);
                range = new TimeRange(now.minus(DurationText.parse(since)), now);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return CostCommand.run(spec, "export", () -> {
                try (CostEngine engine = store.open()) {
                    long n = engine.export(range, f, out);
                    return "wrote " + n + " FOCUS cost rows (" + range.from() + " to " + range.to() + ") to " + out;
                }
            });
        }
    }

    /** Work that answers a line to print, or fails with a message for a person. */
    interface Work {
        String run();
    }

    static int run(CommandLine.Model.CommandSpec spec, String what, Work work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            out.println(work.run());
            out.flush();
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("plumb cost " + what + ": " + e.getMessage());
            if (String.valueOf(e.getMessage()).contains("lock")) {
                err.println("hint: the data directory is open in a running plumb serve; stop it, or use another --data-dir");
            }
            err.flush();
            return 1;
        }
    }
}
