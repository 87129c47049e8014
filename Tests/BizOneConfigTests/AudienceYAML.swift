/// Shared by the audience and CSV tests.
/// An audience reading `path` (as written in the YAML, line 8 column 11 holds its value).
func audienceYAML(path: String, encoding: String? = nil) -> String {
    """
    apiVersion: bizone/v1
    kind: Audience
    metadata:
      name: vip
    spec:
      defaultCountryCode: "62"
      csv:
        path: \(path)

    """ + (encoding.map { "    encoding: \($0)\n" } ?? "")
}
