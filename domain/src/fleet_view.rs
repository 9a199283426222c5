//! One view of the fleet, as the fleet page's URL says it (`?q=…&flag=…&cmk=…&sort=…&dir=…`),
//! so a shared link reproduces it: the search, the filters, the sort, and which rows they
//! leave in which order. Pure, so the page only renders what this decides.

use std::cmp::Ordering;

use crate::fleet::{search, Encrypting, Flag, FleetRow, Found};
use crate::text::{Lang, Text};
use crate::url_component;

/// A column of the fleet table, each sortable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    LoginServer,
    Subscription,
    ResourceGroup,
    Location,
    Sku,
    Cmk,
    Vault,
    KeyName,
    Rotation,
    Identity,
    Status,
    Flags,
    Sharing,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Name,
        Column::LoginServer,
        Column::Subscription,
        Column::ResourceGroup,
        Column::Location,
        Column::Sku,
        Column::Cmk,
        Column::Vault,
        Column::KeyName,
        Column::Rotation,
        Column::Identity,
        Column::Status,
        Column::Flags,
        Column::Sharing,
    ];

    /// Its name in the URL (`?sort=vault`) and in test ids.
    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::LoginServer => "loginServer",
            Column::Subscription => "subscription",
            Column::ResourceGroup => "resourceGroup",
            Column::Location => "location",
            Column::Sku => "sku",
            Column::Cmk => "cmk",
            Column::Vault => "vault",
            Column::KeyName => "keyName",
            Column::Rotation => "rotation",
            Column::Identity => "identity",
            Column::Status => "status",
            Column::Flags => "flags",
            Column::Sharing => "sharing",
        }
    }

    /// The column's heading (English: the CSV's).
    pub fn label(self) -> &'static str {
        self.words().en
    }

    /// The heading in either language.
    pub fn words(self) -> Text {
        match self {
            Column::Name => words::NAME,
            Column::LoginServer => words::LOGIN_SERVER,
            Column::Subscription => words::SUBSCRIPTION,
            Column::ResourceGroup => words::RESOURCE_GROUP,
            Column::Location => words::LOCATION,
            Column::Sku => words::SKU,
            Column::Cmk => words::CMK,
            Column::Vault => words::KEY_VAULT,
            Column::KeyName => words::KEY,
            Column::Rotation => words::VERSION,
            Column::Identity => words::ENCRYPTING_IDENTITY,
            Column::Status => words::STATUS,
            Column::Flags => words::POSTURE,
            Column::Sharing => words::SHARING,
        }
    }

    /// The cell as the table shows it in `lang`: the console's own words translated,
    /// Azure's names and values as they are. Search and sort use [`Column::text`].
    pub fn text_in(self, lang: Lang, r: &FleetRow) -> String {
        let said = |text: Text| text.get(lang).to_string();
        match self {
            Column::Cmk => said(if r.cmk { words::ON } else { words::OFF }),
            Column::Rotation => match r.versionless {
                Some(true) => said(words::VERSIONLESS),
                Some(false) => said(words::PINNED),
                None => String::new(),
            },
            Column::Identity => match &r.encrypting {
                Some(Encrypting::System) => said(words::SYSTEM),
                Some(Encrypting::User { name: Some(name), .. }) => words::USER_NAMED.fill(lang, &[("name", name)]),
                Some(Encrypting::User { client_id, name: None }) => words::USER_NOT_ATTACHED.fill(lang, &[("client", client_id)]),
                None => String::new(),
            },
            Column::Flags => r.flags.iter().map(|f| f.words().get(lang)).collect::<Vec<_>>().join(", "),
            other => other.text(r),
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The cell as text (what the table shows, except the flags, shown as chips).
    pub fn text(self, r: &FleetRow) -> String {
        match self {
            Column::Name => r.name.clone(),
            Column::LoginServer => r.login_server.clone(),
            Column::Subscription => r.subscription_id.clone(),
            Column::ResourceGroup => r.resource_group.clone(),
            Column::Location => r.location.clone(),
            Column::Sku => r.sku.clone(),
            Column::Cmk => if r.cmk { "on" } else { "off" }.to_string(),
            Column::Vault => r.vault.clone().unwrap_or_default(),
            Column::KeyName => r.key_name.clone().unwrap_or_default(),
            Column::Rotation => match r.versionless {
                Some(true) => "versionless",
                Some(false) => "pinned",
                None => "",
            }
            .to_string(),
            Column::Identity => identity_text(r),
            Column::Status => r.status.clone().unwrap_or_default(),
            Column::Flags => r.flags.iter().map(|f| f.label()).collect::<Vec<_>>().join(", "),
            Column::Sharing => {
                if r.sharing > 0 {
                    r.sharing.to_string()
                } else {
                    String::new()
                }
            }
        }
    }

    fn cmp(self, a: &FleetRow, b: &FleetRow) -> Ordering {
        match self {
            Column::Cmk => a.cmk.cmp(&b.cmk),
            Column::Sharing => a.sharing.cmp(&b.sharing),
            Column::Flags => (a.flags.len(), &a.flags).cmp(&(b.flags.len(), &b.flags)),
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            other => other.text(a).to_lowercase().cmp(&other.text(b).to_lowercase()),
        }
    }
}

/// `user: id-name` or `system`: which identity reaches the key.
pub fn identity_text(r: &FleetRow) -> String {
    Column::Identity.text_in(Lang::En, r)
}

/// The fleet table's words in both languages.
pub mod words {
    crate::catalogue! {
        NAME: "Name" => "이름";
        LOGIN_SERVER: "Login server" => "로그인 서버";
        SUBSCRIPTION: "Subscription" => "구독";
        RESOURCE_GROUP: "Resource group" => "리소스 그룹";
        LOCATION: "Location" => "위치";
        SKU: "SKU" => "SKU", same;
        CMK: "CMK" => "CMK", same;
        KEY_VAULT: "Key vault" => "키 자격 증명 모음";
        KEY: "Key" => "키";
        VERSION: "Version" => "버전";
        ENCRYPTING_IDENTITY: "Encrypting identity" => "암호화에 사용하는 ID";
        STATUS: "Status" => "상태";
        POSTURE: "Posture" => "보안 상태";
        SHARING: "Sharing" => "공유";
        ON: "on" => "켜짐";
        OFF: "off" => "꺼짐";
        VERSIONLESS: "versionless" => "버전 없음";
        PINNED: "pinned" => "고정됨";
        SYSTEM: "system" => "시스템";
        /// `{name}` is a user-assigned identity's name.
        USER_NAMED: "user: {name}" => "사용자: {name}";
        /// `{client}` is a client id no attached identity has.
        USER_NOT_ATTACHED: "user: {client} (not attached)" => "사용자: {client}(연결되지 않음)";
    }
}

/// The view a URL asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FleetView {
    pub search: String,
    pub flag: Option<Flag>,
    /// Only registries with (`true`) or without a customer-managed key.
    pub cmk: Option<bool>,
    /// `None`: Resource Graph's order.
    pub sort: Option<Column>,
    pub descending: bool,
}

/// What a view shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The search names one registry exactly (a pasted resource id or login server): open it.
    Open(usize),
    /// These rows, in this order.
    Rows(Vec<usize>),
}

impl FleetView {
    /// From the URL's query pairs; unknown keys and values are ignored (an old link still opens).
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> FleetView {
        let mut view = FleetView::default();
        for (key, value) in pairs {
            match key {
                "q" => view.search = value.to_string(),
                "flag" => view.flag = Flag::from_key(value),
                "cmk" => view.cmk = matches!(value, "on" | "off").then_some(value == "on"),
                "sort" => view.sort = Column::from_key(value),
                "dir" => view.descending = value == "desc",
                _ => {}
            }
        }
        view
    }

    /// The query (`?…`, or empty for the default view) that [`FleetView::from_query`] reads back.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if let Some(flag) = self.flag {
            pairs.push(("flag", flag.key().to_string()));
        }
        if let Some(cmk) = self.cmk {
            pairs.push(("cmk", if cmk { "on" } else { "off" }.to_string()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort.key().to_string()));
            if self.descending {
                pairs.push(("dir", "desc".to_string()));
            }
        }
        if pairs.is_empty() {
            return String::new();
        }
        let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", url_component::encode(v))).collect();
        format!("?{}", joined.join("&"))
    }

    /// Sorting on `column`: ascending first, then descending, then ascending again.
    pub fn sorted_by(&self, column: Column) -> FleetView {
        let descending = self.sort == Some(column) && !self.descending;
        FleetView { sort: Some(column), descending, ..self.clone() }
    }

    /// Whether a row passes the filters (not the search).
    pub fn keeps(&self, r: &FleetRow) -> bool {
        self.flag.is_none_or(|f| r.flags.contains(&f)) && self.cmk.is_none_or(|c| r.cmk == c)
    }

    pub fn apply(&self, rows: &[FleetRow]) -> Shown {
        let mut shown = match search(rows, &self.search) {
            Found::Exact(i) => return Shown::Open(i),
            Found::Matches(found) => found,
        };
        shown.retain(|&i| self.keeps(&rows[i]));
        if let Some(column) = self.sort {
            shown.sort_by(|&a, &b| {
                let order = column.cmp(&rows[a], &rows[b]);
                if self.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        Shown::Rows(shown)
    }
}

/// Counts for the summary charts, over the whole fleet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub cmk_on: usize,
    pub cmk_off: usize,
    pub by_flag: Vec<(Flag, usize)>,
}

pub fn summary(rows: &[FleetRow]) -> Summary {
    let cmk_on = rows.iter().filter(|r| r.cmk).count();
    let by_flag = Flag::ALL.iter().map(|&f| (f, rows.iter().filter(|r| r.flags.contains(&f)).count())).collect();
    Summary { cmk_on, cmk_off: rows.len() - cmk_on, by_flag }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, cmk: bool, flags: Vec<Flag>, sharing: usize) -> FleetRow {
        let mut r = FleetRow {
            id: format!("/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/{name}"),
            name: name.into(),
            login_server: format!("{name}.azurecr.io"),
            subscription_id: "s".into(),
            resource_group: "g".into(),
            location: "westeurope".into(),
            sku: "Premium".into(),
            cmk,
            vault: None,
            key_id: None,
            key_name: None,
            versionless: None,
            encrypting: None,
            principal_id: None,
            status: None,
            last_rotation: None,
            flags,
            sharing,
            search_text: String::new(),
        };
        r.search_text = format!("{}\n{}", r.name, r.login_server);
        r
    }

    fn rows() -> Vec<FleetRow> {
        vec![
            row("bravo", true, vec![Flag::NoPurgeProtection], 3),
            row("alpha", false, vec![Flag::PremiumWithoutCmk], 0),
            row("charlie", true, vec![], 1),
            row("alphabet", true, vec![Flag::NoPurgeProtection, Flag::PinnedKeyStale], 3),
        ]
    }

    fn names(rows: &[FleetRow], shown: Shown) -> Vec<String> {
        match shown {
            Shown::Rows(i) => i.into_iter().map(|i| rows[i].name.clone()).collect(),
            Shown::Open(i) => vec![format!("open {}", rows[i].name)],
        }
    }

    #[test]
    fn a_view_survives_its_url() {
        let view = FleetView {
            search: "kv-fleet 01&x=/é".into(),
            flag: Some(Flag::NoPurgeProtection),
            cmk: Some(false),
            sort: Some(Column::Vault),
            descending: true,
        };
        let query = view.to_query();
        assert_eq!(query, "?q=kv-fleet%2001%26x%3D%2F%C3%A9&flag=noPurgeProtection&cmk=off&sort=vault&dir=desc");
        // As the router hands the query over: decoded pairs.
        let pairs = [("q", "kv-fleet 01&x=/é"), ("flag", "noPurgeProtection"), ("cmk", "off"), ("sort", "vault"), ("dir", "desc")];
        assert_eq!(FleetView::from_query(pairs), view);
        assert_eq!(FleetView::default().to_query(), "");
        assert_eq!(FleetView::from_query([("flag", "bogus"), ("sort", "nope"), ("x", "y")]), FleetView::default());
    }

    #[test]
    fn search_then_filters_then_sort() {
        let rows = rows();
        let view = |q: &str| FleetView::from_query(q.split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(names(&rows, view("").apply(&rows)), ["bravo", "alpha", "charlie", "alphabet"], "Resource Graph's order");
        assert_eq!(names(&rows, view("q=alpha").apply(&rows)), ["alpha", "alphabet"]);
        assert_eq!(names(&rows, view("q=alpha&cmk=on").apply(&rows)), ["alphabet"]);
        assert_eq!(names(&rows, view("flag=noPurgeProtection&sort=name").apply(&rows)), ["alphabet", "bravo"]);
        assert_eq!(names(&rows, view("sort=sharing&dir=desc").apply(&rows)), ["bravo", "alphabet", "charlie", "alpha"]);
        assert_eq!(names(&rows, view("sort=flags").apply(&rows)), ["charlie", "bravo", "alpha", "alphabet"], "by how many, then which");
        assert_eq!(names(&rows, view("q=ALPHA.azurecr.io").apply(&rows)), ["open alpha"]);
    }

    #[test]
    fn sorting_a_column_again_turns_it_around() {
        let v = FleetView::default().sorted_by(Column::Sku);
        assert_eq!((v.sort, v.descending), (Some(Column::Sku), false));
        let v = v.sorted_by(Column::Sku);
        assert_eq!((v.sort, v.descending), (Some(Column::Sku), true));
        let v = v.sorted_by(Column::Name);
        assert_eq!((v.sort, v.descending), (Some(Column::Name), false));
    }

    #[test]
    fn the_summary_counts_the_whole_fleet() {
        let s = summary(&rows());
        assert_eq!((s.cmk_on, s.cmk_off), (3, 1));
        let count = |f: Flag| s.by_flag.iter().find(|(g, _)| *g == f).unwrap().1;
        assert_eq!((count(Flag::NoPurgeProtection), count(Flag::PremiumWithoutCmk), count(Flag::VaultNotFound)), (2, 1, 0));
    }
}
