import Glibc

/// An exclusive advisory lock on a file (flock), for work that two processes must not do
/// at once, such as migrating a database they both open. The lock goes with the process:
/// a killed process leaves nothing locked.
public enum FileLock {
    /// Runs `body` holding an exclusive lock on `path` (created if missing), waiting for it.
    public static func withExclusiveLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CoreError.io("cannot open the lock file \(path): errno \(errno)") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw CoreError.io("cannot lock \(path): errno \(errno)") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
