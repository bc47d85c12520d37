//! What the unit tests share: the configuration of property tests.

use proptest::prelude::ProptestConfig;

/// At least `cases` cases (`PROPTEST_CASES` raises it for a long run);
/// failures are reported with their minimal input, and nothing is written
/// into the source tree.
pub(crate) fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: ProptestConfig::default().cases.max(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
