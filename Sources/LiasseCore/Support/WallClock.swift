import Foundation
import Synchronization

/// Where Liasse reads the date and time it stamps on what it records: deposits, status
/// changes, certificates, rejections, lot reports, lot ids and the journal.
///
/// Production uses `.system`. Tests give a `.fixed` or `.stepping` clock so that no verdict
/// and no test depends on the day it runs: a deposit stamped by the wall clock and a status
/// dated in the test's fixtures would otherwise drift apart as the calendar moves on.
///
/// Durations (back-off, stability delays, timings) are not read from here: they use
/// `ContinuousClock`, which no calendar change affects.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current date and time.
    public func now() -> Date { read() }

    /// The machine's clock.
    public static let system = WallClock { Date() }

    /// Always `date`.
    public static func fixed(_ date: Date) -> WallClock {
        WallClock { date }
    }

    /// `start` at the first reading, then `step` seconds later at each reading after it: a
    /// clock that moves on, yet the same in every run.
    public static func stepping(from start: Date, by step: TimeInterval = 1) -> WallClock {
        let readings = Mutex(0)
        return WallClock {
            let count = readings.withLock { count in
                defer { count += 1 }
                return count
            }
            return start.addingTimeInterval(step * Double(count))
        }
    }

    /// `"2026-11-27T15:20:35Z"`: the form every stamp of the ledger, the reports and the
    /// journal is written in (UTC, to the second).
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// The current time as a `timestamp`.
    public func timestamp() -> String { Self.timestamp(now()) }

    /// `"2026-11-27"`: the current day, in UTC.
    public func today() -> String { String(timestamp().prefix(10)) }
}
