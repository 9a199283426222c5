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

/// How a plan made again right before sending compares with the one the user
/// confirmed: the numbers (1-based) of the steps that now send something else
/// (method, URL or body; a new ETag alone does not count), and steps added or dropped.
pub fn changed_steps(confirmed: &[WriteStep], fresh: &[WriteStep]) -> Vec<usize> {
    let longest = confirmed.len().max(fresh.len());
    (0..longest)
        .filter(|&i| match (confirmed.get(i), fresh.get(i)) {
            (Some(a), Some(b)) => !a.write().request.same_change(&b.write().request),
            _ => true,
        })
        .map(|i| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::requests::Method;

    fn step(body: serde_json::Value, etag: Option<&str>) -> WriteStep {
        let write = PlannedWrite {
            summary: crate::text::Sentence::verbatim("s"),
            request: crate::requests::ArmRequest::new(Method::Patch, "/r?api-version=1".into(), Some(body)),
            az: String::new(),
            long_running: false,
        }
        .if_match(etag);
        WriteStep::Plain(write)
    }

    #[test]
    fn a_fresh_plan_differs_where_it_sends_something_else() {
        let a = step(json!({"identity": {"type": "None"}}), Some("W/\"1\""));
        let b = step(json!({"identity": {"type": "UserAssigned"}}), Some("W/\"1\""));
        assert!(changed_steps(&[a.clone()], &[step(json!({"identity": {"type": "None"}}), Some("W/\"2\""))]).is_empty());
        assert_eq!(changed_steps(&[a.clone()], &[b.clone()]), vec![1]);
        assert_eq!(changed_steps(&[a.clone(), a.clone()], &[a.clone(), b.clone()]), vec![2]);
        assert_eq!(changed_steps(&[a.clone()], &[a.clone(), b]), vec![2], "a step added");
        assert_eq!(changed_steps(&[a.clone(), a.clone()], &[a]), vec![2], "a step dropped");
    }
}
