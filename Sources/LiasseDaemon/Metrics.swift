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
        registry.makeCounter(descriptor: Self.lots, labels: [("inbox", inbox), ("status", report.status.rawValue)]).increment()
        for entry in report.entries {
            let code = entry.outcome == .deposited ? "" : (entry.reasons.first { $0.severity == .fatal }?.code ?? entry.reasons.first?.code ?? "")
            registry.makeCounter(descriptor: Self.entries,
                                 labels: [("inbox", inbox), ("outcome", entry.outcome.rawValue), ("reason", code)]).increment()
        }
        registry.makeDurationHistogram(descriptor: Self.lotDuration, labels: [("inbox", inbox)],
                                       buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600)])
            .record(duration)
    }

    func retried(inbox: String) {
        registry.makeCounter(descriptor: Self.retries, labels: [("inbox", inbox)]).increment()
    }

    func failed(inbox: String) {
        registry.makeCounter(descriptor: Self.failures, labels: [("inbox", inbox)]).increment()
    }

    func queueDepth(inbox: String, waiting: Int) {
        registry.makeGauge(descriptor: Self.queue, labels: [("inbox", inbox)]).set(Double(waiting))
    }

    // The metric names (`liasse_lots_total`, …) are part of what operators' dashboards read.
    private static func metric(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "liasse", metricName: name, unitName: unit, helpText: help)
    }
    private static var lots: MetricNameDescriptor { metric("lots", "total", "Drops processed, by flux status") }
    private static var entries: MetricNameDescriptor { metric("entries", "total", "Entries processed, by outcome and reason code") }
    private static var lotDuration: MetricNameDescriptor { metric("lot_duration", "seconds", "Time to process one drop") }
    private static var retries: MetricNameDescriptor { metric("retries", "total", "Transient failures retried") }
    private static var failures: MetricNameDescriptor { metric("failed", "total", "Drops moved to failed/ after too many attempts") }
    private static var queue: MetricNameDescriptor { metric("queue_depth", "", "Drops waiting in the inbox and its work folder") }

    /// Writes the text file (temporary name, rename), when a path is configured.
    func write() {
        guard let path else { return }
        try? DurableFile.write(Data(registry.emitToBuffer()), to: path, sync: false)
    }
}
