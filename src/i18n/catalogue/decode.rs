//! The error decoder page (the explanations themselves are `acr_cmk_domain::decoder::words`).

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Decode an error message" => "오류 메시지 해석";
    HELP: "Paste a message from a ticket (the portal, the Azure CLI, docker pull or push, an ARM response). The console says what it means, how to fix it, and opens the diagnosis of the registry it names."
        => "티켓의 메시지(포털, Azure CLI, docker pull 또는 push, ARM 응답)를 붙여 넣으세요. 콘솔이 그 의미와 해결 방법을 알려 주고, 메시지에 나온 레지스트리의 진단을 엽니다.";
    ERROR_MESSAGE: "Error message" => "오류 메시지";
    CAUSE: "Cause" => "원인";
    FIX: "Fix" => "해결 방법";
    UNKNOWN_TITLE: "Not a message the console knows" => "콘솔이 알지 못하는 메시지입니다";
    UNKNOWN_TEXT: "It matches none of the customer-managed key errors the console recognises. The ids it contains are below: open the registry's diagnosis to see whether it can reach its key."
        => "콘솔이 인식하는 고객 관리형 키 오류와 일치하지 않습니다. 메시지에 있는 ID는 아래와 같습니다. 레지스트리 진단을 열어 키에 접근할 수 있는지 확인하세요.";
    LOGIN_SERVERS: "Login servers" => "로그인 서버";
    KEY_IDS: "Key identifiers" => "키 ID";
    KEY_VAULTS: "Key vaults" => "키 자격 증명 모음";
    USER_IDENTITIES: "User-assigned identities" => "사용자 할당 ID";
    OTHER_IDS: "Other ids (client or principal ids)" => "기타 ID(클라이언트 또는 보안 주체 ID)";
    REGISTRIES_NAMED: "Registries named" => "메시지에 나온 레지스트리";
    NO_REGISTRY: "The message names no registry." => "메시지에 레지스트리가 나오지 않습니다.";
    /// `{name}` is a registry's name.
    SIGN_IN_TO_LOOK_UP: "Registry '{name}' (sign in to look it up)" => "레지스트리 '{name}'(로그인하면 찾을 수 있음)";
    OPEN_DIAGNOSIS: "Open the diagnosis of {name}" => "{name} 진단 열기";
    /// `{group}`, `{subscription}`: where the registry is.
    WHERE: " (resource group {group}, subscription {subscription})" => " (리소스 그룹 {group}, 구독 {subscription})";
    LOOKING_FOR: "Looking for registry '{name}'…" => "레지스트리 '{name}'을(를) 찾는 중…";
    NOT_IN_ANY: "A registry by that name is in none of the subscriptions you can read." => "읽을 수 있는 구독 중 어디에도 그 이름의 레지스트리가 없습니다.";
    /// `{error}` is the failure as ARM or the network gave it.
    LOOKUP_FAILED: "Could not look the registry up: {error}" => "레지스트리를 찾을 수 없습니다: {error}";
}
