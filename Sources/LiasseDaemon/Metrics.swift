import Foundation
import Prometheus

/// The service's metrics, written atomically as a Prometheus text file for node-exporter's
/// textfile collector (lots, entries by outcome and reason, durations, retries, failures,
/// queue depth).
final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let path: String?

    init(path: String?) {
        self.path = path
    }

    func lotProcessed(_ report: LotReport, inbox: String, duration: Duration) {
        registry.makeCounter(name: "liasse_lots_total", labels: [("inbox", inbox), ("status", report.status.rawValue)],
                             help: "Drops processed, by flux status").increment()
        for entry in report.entries {
            let code = entry.outcome == .deposited ? "" : (entry.reasons.first { $0.severity == .fatal }?.code ?? entry.reasons.first?.code ?? "")
            registry.makeCounter(name: "liasse_entries_total",
                                 labels: [("inbox", inbox), ("outcome", entry.outcome.rawValue), ("reason", code)],
                                 help: "Entries processed, by outcome and reason code").increment()
        }
        registry.makeDurationHistogram(name: "liasse_lot_duration_seconds", labels: [("inbox", inbox)],
                                       buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600)],
                                       help: "Time to process one drop").record(duration)
    }

    func retried(inbox: String) {
        registry.makeCounter(name: "liasse_retries_total", labels: [("inbox", inbox)],
                             help: "Transient failures retried").increment()
    }

    func failed(inbox: String) {
        registry.makeCounter(name: "liasse_failed_total", labels: [("inbox", inbox)],
                             help: "Drops moved to failed/ after too many attempts").increment()
    }

    func queueDepth(inbox: String, waiting: Int) {
        registry.makeGauge(name: "liasse_queue_depth", labels: [("inbox", inbox)],
                           help: "Drops waiting in the inbox and its work folder").set(Double(waiting))
    }

    /// Writes the text file (temporary name, rename), when a path is configured.
    func write() {
        guard let path else { return }
        try? DurableFile.write(Data(registry.emitToBuffer()), to: path, sync: false)
    }
}
