/// BizOneConfig: reads pipeline YAML into a `DesiredState`, or reports every problem at once.
///
/// Structural checks are driven by the kinds' `Schema` values (so editors and the loader agree);
/// semantic checks (Meta's template rules, references, duplicates, CSV rows) run on the typed
/// values, and their field paths are turned back into file:line:col through `NodeIndex`.
public enum BizOneConfig {}
