//! The plan exported four ways — az script, ARM template, Bicep, Terraform —
//! each with Copy and Download. Only the chosen one is formatted.

use acr_cmk_domain::writes::creation::{arm_template_text, az_script, bicep, terraform, Choices, CreationPlan};
use acr_cmk_domain::writes::Refusal;
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;

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

    fn title(self) -> &'static str {
        match self {
            Export::Az => "Azure CLI script",
            Export::Arm => "ARM template",
            Export::Bicep => "Bicep",
            Export::Terraform => "Terraform",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Export::Az => "The seed's commands with today's flags; run it with bash, signed in with az login.",
            Export::Arm => "Deploy with az deployment group create --resource-group <group> --template-file <file> (the group must exist); every name is a parameter.",
            Export::Bicep => "Deploy with az deployment group create --resource-group <group> --template-file <file>.",
            Export::Terraform => "azurerm 4.x; terraform init, then terraform apply. Existing resources are read with data blocks.",
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

    fn text(self, c: &Choices, p: &CreationPlan) -> Result<String, Refusal> {
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
    let chosen = RwSignal::new(Export::Az);
    let registry = choices.registry_name.clone();
    let text = Memo::new(move |_| chosen.get().text(&choices, &plan));
    view! {
        <h3>"Export"</h3>
        <div class="segmented" role="group" aria-label="Export format">
            {Export::ALL.iter().map(|&e| view! {
                <button type="button" data-testid=format!("create-export-{}", e.name())
                    aria-pressed=move || if chosen.get() == e { "true" } else { "false" }
                    on:click=move |_| chosen.set(e)>
                    {e.title()}
                </button>
            }).collect_view()}
        </div>
        {move || {
            let e = chosen.get();
            match text.get() {
                Err(refusal) => view! {
                    <p class="notice" data-testid=format!("create-{}-refusal", e.name())>{refusal.message.to_string()}</p>
                }.into_any(),
                Ok(body) => {
                    let (media, ext) = e.file();
                    let href = format!("data:{media};charset=utf-8,{}", String::from(js_sys::encode_uri_component(&body)));
                    let file = format!("create-{registry}.{ext}");
                    view! {
                        <p class="help">{e.help()}</p>
                        <pre class="command script" data-testid=format!("create-{}-script", e.name())>{body.clone()}</pre>
                        <div class="actions">
                            <CopyButton text=body label=e.title() />
                            <a class="button" href=href download=file data-testid=format!("create-{}-download", e.name())>"Download"</a>
                        </div>
                    }.into_any()
                }
            }
        }}
    }
}
