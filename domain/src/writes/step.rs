//! One step of a write sequence as the write dialog runs it: a long-running
//! registry PATCH (polled, read back, its changes listed) or any other ARM
//! write (one exchange).

use crate::registry::Registry;

use super::PlannedWrite;

#[derive(Clone, Debug, PartialEq)]
pub enum WriteStep {
    /// A registry PATCH, with the registry as it was before, to list what changed.
    Registry { write: PlannedWrite, before: Box<Registry> },
    /// A vault, key or role-assignment write: sent once, its status is the outcome.
    Plain(PlannedWrite),
}

impl WriteStep {
    pub fn registry(write: PlannedWrite, before: &Registry) -> WriteStep {
        WriteStep::Registry { write, before: Box::new(before.clone()) }
    }

    pub fn write(&self) -> &PlannedWrite {
        match self {
            WriteStep::Registry { write, .. } | WriteStep::Plain(write) => write,
        }
    }
}
