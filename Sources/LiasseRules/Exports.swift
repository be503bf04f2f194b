// A finding is the one vocabulary of every layer (intake, rules, deposit, reports): whoever
// imports the rules speaks it too.
@_exported import LiasseFindings
