import ArgumentParser

/// The `liasse` command: the service and the tools around it.
@main
struct Liasse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liasse",
        abstract: "Deposits e-invoices dropped in watched folders: unpacks lots, validates each invoice like the receiving platform, deposits the good ones and writes certificates, rejections and lot reports.",
        subcommands: [Run.self, Validate.self, RulesCommand.self, Inspect.self, Bench.self, Invoices.self, Directory.self, CertificateCommand.self]
    )
}
