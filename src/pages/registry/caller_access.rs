//! What the signed-in user may do on this registry and its key's vault, read
//! once per page (`…/providers/Microsoft.Authorization/permissions`), and the
//! gate every write button sits behind: a write the user would certainly be
//! refused is not offered as a button that sends, but says which permission is
//! missing and a built-in role that grants it.

use acr_cmk_domain::permissions::{words, Allowance, CallerAccess, Need};
use acr_cmk_domain::text::Sentence;
use leptos::prelude::*;

use crate::i18n::{tr, Locale};

/// The caller's access as read so far; `None` while the reads are under way.
#[derive(Clone, Copy)]
pub struct CallerAccessSignal(pub Signal<Option<CallerAccess>>);

/// `children` when the caller may make a write needing `needs` (or when ARM must decide: the
/// permissions could not be read); otherwise what is missing. `testid` names the write in the test ids.
#[component]
pub fn Permitted(
    needs: Vec<Need>,
    #[prop(into)] testid: String,
    /// Add what revoking and restoring key access need on this vault (its permission model decides).
    #[prop(optional)]
    key_access: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let Some(CallerAccessSignal(access)) = use_context::<CallerAccessSignal>() else { return children().into_any() };
    let allowance = Memo::new(move |_| {
        access.get().map(|a| {
            let mut all = needs.clone();
            if key_access {
                all.extend(a.key_access_needs());
            }
            a.allowance(&all)
        })
    });
    let children = StoredValue::new(children);
    let locale = Locale::expect();
    let (pending_id, missing_id) = (format!("permission-pending-{testid}"), format!("permission-missing-{testid}"));
    (move || match allowance.get() {
        None => view! {
            <p class="muted permission-pending" data-testid=pending_id.clone()>{tr(words::CHECKING)}</p>
        }
        .into_any(),
        Some(found @ Allowance::Missing { .. }) => {
            let text = found.missing().unwrap_or_else(Sentence::empty);
            view! {
                <p class="permission-missing" role="note" data-testid=missing_id.clone()>
                    {move || text.get(locale.get())}
                </p>
            }
            .into_any()
        }
        Some(Allowance::Allowed | Allowance::Unknown) => children.with_value(|c| c()).into_any(),
    })
    .into_any()
}
