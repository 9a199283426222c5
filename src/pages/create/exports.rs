//! The plan exported four ways — az script, ARM template, Bicep, Terraform —
//! each with Copy and Download. Only the chosen one is formatted.

use acr_cmk_domain::text::Text;
use acr_cmk_domain::writes::creation::choices::Refused;
use acr_cmk_domain::writes::creation::{arm_template_text, az_script, bicep, terraform, Choices, CreationPlan};
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Az,
    Arm,
    Bicep,
    Terraform,
}

impl Export {
    const ALL: [Export; 4] = [Export::Az, Export::Arm, Export::Bicep, Export::Terraform];

    /// Stable name (`data-testid="create-<name>-script"`).
    fn name(self) -> &'static str {
        match self {
            Export::Az => "az",
            Export::Arm => "arm",
            Export::Bicep => "bicep",
            Export::Terraform => "terraform",
        }
    }

    fn title(self) -> Text {
        match self {
            Export::Az => words::EXPORT_AZ,
            Export::Arm => words::EXPORT_ARM,
            Export::Bicep => words::EXPORT_BICEP,
            Export::Terraform => words::EXPORT_TERRAFORM,
        }
    }

    fn help(self) -> Text {
        match self {
            Export::Az => words::EXPORT_AZ_HELP,
            Export::Arm => words::EXPORT_ARM_HELP,
            Export::Bicep => words::EXPORT_BICEP_HELP,
            Export::Terraform => words::EXPORT_TERRAFORM_HELP,
        }
    }

    /// (media type, file extension) of the download.
    fn file(self) -> (&'static str, &'static str) {
        match self {
            Export::Az => ("text/x-shellscript", "sh"),
            Export::Arm => ("application/json", "json"),
            Export::Bicep => ("text/plain", "bicep"),
            Export::Terraform => ("text/plain", "tf"),
        }
    }

    /// The download's `data:` URL and file name.
    fn download(self, body: &str, registry: &str) -> (String, String) {
        let (media, ext) = self.file();
        let href = format!("data:{media};charset=utf-8,{}", String::from(js_sys::encode_uri_component(body)));
        (href, format!("create-{registry}.{ext}"))
    }

    fn text(self, c: &Choices, p: &CreationPlan) -> Result<String, Refused> {
        match self {
            Export::Az => Ok(az_script(c, p)),
            Export::Arm => arm_template_text(c, p),
            Export::Bicep => bicep(c, p),
            Export::Terraform => Ok(terraform(c, p)),
        }
    }
}

#[component]
pub fn Exports(choices: Choices, plan: CreationPlan) -> impl IntoView {
    let locale = Locale::expect();
    let chosen = RwSignal::new(Export::Az);
    let registry = choices.registry_name.clone();
    let text = Memo::new(move |_| chosen.get().text(&choices, &plan));
    view! {
        <h3>{tr(words::EXPORT)}</h3>
        <div class="segmented" role="group" aria-label=tr(words::EXPORT_FORMAT)>
            {Export::ALL.iter().map(|&e| view! {
                <button type="button" data-testid=format!("create-export-{}", e.name())
                    aria-pressed=move || if chosen.get() == e { "true" } else { "false" }
                    on:click=move |_| chosen.set(e)>
                    {tr(e.title())}
                </button>
            }).collect_view()}
        </div>
        {move || {
            let e = chosen.get();
            match text.get() {
                Err(refusal) => view! {
                    <p class="notice" data-testid=format!("create-{}-refusal", e.name())>{move || refusal.reason.get(locale.get())}</p>
                }.into_any(),
                Ok(body) => {
                    let (href, file) = e.download(&body, &registry);
                    view! {
                        <p class="help">{tr(e.help())}</p>
                        <pre class="command script" data-testid=format!("create-{}-script", e.name())>{body.clone()}</pre>
                        <div class="actions">
                            <CopyButton text=body label=e.title() />
                            <a class="button" href=href download=file data-testid=format!("create-{}-download", e.name())>{tr(words::DOWNLOAD)}</a>
                        </div>
                    }.into_any()
                }
            }
        }}
    }
}
