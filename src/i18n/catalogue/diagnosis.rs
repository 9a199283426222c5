//! The key-access diagnosis panel and its chain diagram. The checks' own
//! sentences are the domain's (`acr_cmk_domain::diagnosis::words`).

use acr_cmk_domain::catalogue;

catalogue! {
    KEY_ACCESS: "Key access" => "키 액세스";
    /// `{vault}` is the vault's name, `{subscription}` a subscription id.
    VAULT_ELSEWHERE: "Key vault '{vault}' is in another subscription than the registry: {subscription}."
        => "키 자격 증명 모음 '{vault}'은(는) 레지스트리와 다른 구독에 있습니다: {subscription}.";
    SOME_READS_FAILED: "Some reads failed, so the checks that depend on them are unknown:"
        => "일부 읽기가 실패하여 그 결과에 의존하는 검사는 알 수 없음으로 표시됩니다.";
    READ_SYSTEM_IDENTITY: "The registry's system-assigned identity" => "레지스트리의 시스템 할당 ID";
    READ_VAULTS: "The subscription's key vaults" => "구독의 키 자격 증명 모음";
    READ_ROLE_ASSIGNMENTS: "The identity's role assignments" => "ID의 역할 할당";
    READ_KEY_VERSIONS: "The key's versions" => "키의 버전";
    DATA_PLANE_RUN: "Key Vault's data plane is not reachable from a browser; run: "
        => "브라우저에서는 Key Vault 데이터 평면에 연결할 수 없습니다. 다음 명령을 실행하세요: ";
    COMMAND: "command" => "명령";
    /// `{fix}` is what the fix does ("Turn on the system-assigned identity").
    FIX: "Fix: {fix}." => "해결 방법: {fix}.";
    /// A fix's button; `{fix}` as above.
    FIX_BUTTON: "{fix}…" => "{fix}…", same;
    /// `{vault}` is the vault's name.
    PURGE_PROTECTION_IRREVERSIBLE: "This cannot be undone: once purge protection is on, vault '{vault}' and its keys can never be purged before their retention period ends."
        => "되돌릴 수 없습니다. 제거 보호를 켜면 키 자격 증명 모음 '{vault}'과(와) 그 키는 보존 기간이 끝나기 전에는 절대 제거할 수 없습니다.";

    CHAIN_CAPTION: "Key chain: registry → identity → key vault → key" => "키 체인: 레지스트리 → ID → 키 자격 증명 모음 → 키";
    NODE_REGISTRY: "Registry" => "레지스트리";
    NODE_IDENTITY: "Identity" => "ID";
    NODE_VAULT: "Key vault" => "키 자격 증명 모음";
    NODE_KEY: "Key" => "키";
    NODE_SYSTEM_ASSIGNED: "system-assigned" => "시스템 할당";
    NODE_UNKNOWN: "unknown" => "알 수 없음";
    NODE_NONE: "none" => "없음";
    LINK_IDENTITY: "registry uses the identity" => "레지스트리가 ID를 사용함";
    LINK_ACCESS: "identity may use the vault" => "ID가 키 자격 증명 모음을 사용할 수 있음";
    LINK_KEY: "vault holds a usable key" => "키 자격 증명 모음에 사용 가능한 키가 있음";
    /// A link read out: `{link}` as above, `{state}` a check state ("pass").
    LINK_SAID: "{link}: {state}." => "{link}: {state}.", same;
}
