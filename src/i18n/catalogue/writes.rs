//! The registry page's write dialogs: the write flow (preview, confirm, run, what
//! changed), rotate, identities, revoke/restore and the firewall sequence. What a
//! write does (its summary), refusals and the firewall steps' titles are the
//! domain's sentences (`acr_cmk_domain::writes::*::words`).

use acr_cmk_domain::catalogue;

catalogue! {
    // The panel.
    CHANGES: "Changes" => "변경";
    READ_ONLY_NOTE: "Read-only. Switch on write mode in the header to rotate the key, change identities or revoke access."
        => "읽기 전용입니다. 키를 회전하거나, ID를 변경하거나, 액세스를 철회하려면 머리글에서 쓰기 모드를 켜세요.";
    KEY: "Key" => "키";

    // The preview of one write.
    /// What a copy button copies.
    REQUEST_URL: "request URL" => "요청 URL";
    /// The HTTP header's name, as HTTP spells it.
    IF_MATCH: "If-Match" => "If-Match", same;
    IF_MATCH_HINT: "(refused if the resource changed since it was read)" => "(읽은 뒤 리소스가 변경되었으면 거부됨)";
    JSON_BODY: "JSON body" => "JSON 본문";
    AZURE_CLI: "Azure CLI" => "Azure CLI", same;
    AZ_COMMAND: "az command" => "az 명령";

    // A step's progress. `{request}` is [`REQUEST_ID_PART`] or nothing.
    SENDING: "Sending…" => "보내는 중…";
    ACCEPTED: "Accepted{request}; waiting for the operation…" => "수락됨{request}. 작업을 기다리는 중…";
    /// `{id}` is ARM's request id.
    REQUEST_ID_PART: " (request id {id})" => "(요청 ID {id})";
    /// `{status}` is the operation's status as ARM sends it ("InProgress"), `{polls}` a count.
    WAITING: "{status} (poll {polls})…" => "{status}(폴링 {polls}회)…";
    READING_BACK: "Reading the registry back…" => "레지스트리를 다시 읽는 중…";
    /// `{state}` is ARM's provisioning state ("Succeeded") or [`NOT_REPORTED`].
    DONE_READ_BACK: "Done{request}; read back: provisioning state {state}" => "완료{request}. 다시 읽은 프로비저닝 상태: {state}";
    NOT_REPORTED: "(not reported)" => "(보고되지 않음)";
    /// `{status}` is an HTTP status code.
    DONE_HTTP: "Done: HTTP {status}{request}" => "완료: HTTP {status}{request}";
    NOT_RUN: "Not run" => "실행 안 됨";
    FAILED: "Failed" => "실패";
    OUTCOME_UNKNOWN: "Outcome unknown" => "결과를 알 수 없음";
    /// A heading over each step of several.
    STEP_OF: "Step {n} of {count}" => "{count}단계 중 {n}단계";

    // How a run ended.
    ALL_STEPS_RAN: "All {count} steps ran." => "{count}단계를 모두 실행했습니다.";
    CHANGE_MADE: "The change was made." => "변경했습니다.";
    UNSURE: "Outcome unknown: ARM may have made this change (no answer, a server error, or a failure after it accepted the change), and it may still complete. Close the dialog and refresh to see the registry and its key access as they are now."
        => "결과를 알 수 없음: ARM이 이 변경을 적용했을 수 있으며(응답 없음, 서버 오류 또는 변경을 수락한 뒤의 실패) 아직 완료될 수도 있습니다. 대화 상자를 닫고 새로 고쳐 레지스트리와 키 액세스의 현재 상태를 확인하세요.";
    /// `{title}` is what the failed step does.
    STEP_FAILED: "Step {n} of {count} failed: {title}" => "{count}단계 중 {n}단계가 실패했습니다: {title}";
    NOTHING_BEFORE: " Nothing before it was changed." => " 그 전에 변경된 것은 없습니다.";
    /// `{titles}` are what the steps do, one sentence after another.
    ALREADY_DONE: " Already done: {titles}" => " 이미 완료됨: {titles}";
    NOT_RUN_LIST: " Not run: {titles}" => " 실행 안 됨: {titles}";

    // Read again on Confirm.
    NOTHING_LEFT: "Read again before sending, there is nothing left to change: someone else made this change meanwhile. Nothing was sent."
        => "보내기 전에 다시 읽어 보니 변경할 것이 남아 있지 않습니다. 그사이 다른 사람이 이 변경을 했습니다. 아무것도 보내지 않았습니다.";
    /// `{which}` are step numbers ("1, 3").
    REPLANNED_STEPS: "step {which} now sends something else" => "{which}단계가 이제 다른 내용을 보냅니다";
    REPLANNED_ONE: "the change now sends something else" => "변경 내용이 이제 다른 내용을 보냅니다";
    /// `{what}` is [`REPLANNED_STEPS`] or [`REPLANNED_ONE`].
    REPLANNED: "Changed since you opened this dialog: read again before sending, {what}. Nothing was sent. Check the new preview and confirm again."
        => "이 대화 상자를 연 뒤 변경되었습니다. 보내기 전에 다시 읽어 보니 {what}. 아무것도 보내지 않았습니다. 새 미리 보기를 확인하고 다시 확인하세요.";
    CHECK_FAILED: "Could not read the current state right before sending; nothing was sent."
        => "보내기 직전에 현재 상태를 읽을 수 없어 아무것도 보내지 않았습니다.";
    /// `{phrase}` is what to type (the registry's name).
    TYPE_TO_CONFIRM: "Type {phrase} to confirm" => "확인하려면 {phrase}을(를) 입력하세요";
    CONFIRM: "Confirm" => "확인";
    CHECKING: "Reading the current state before sending…" => "보내기 전에 현재 상태를 읽는 중…";
    RUNNING: "Running…" => "실행 중…";
    CANCEL: "Cancel" => "취소";

    // What changed.
    NO_FIELD_CHANGED: "The registry's encryption and identity fields did not change." => "레지스트리의 암호화 및 ID 필드는 변경되지 않았습니다.";
    WHAT_CHANGED: "What changed" => "변경된 내용";
    FIELD: "Field" => "필드";
    BEFORE: "Before" => "이전";
    AFTER: "After" => "이후";

    // Rotate.
    /// The dialog's title; `{registry}` is the registry's name.
    ROTATE_TITLE: "Rotate the key of {registry}" => "{registry}의 키 회전";
    ROTATE_OPEN: "Rotate key…" => "키 회전…";
    REVIEW_AGAIN: "Review the rotation again." => "회전을 다시 검토하세요.";
    PICK_VAULT: "Pick a key vault." => "키 자격 증명 모음을 선택하세요.";
    PICK_KEY: "Pick a key, or name the new one." => "키를 선택하거나 새 키의 이름을 입력하세요.";
    NO_IDENTITY: "The registry has no identity to reach the key with." => "레지스트리에 키에 접근할 때 사용할 ID가 없습니다.";
    /// A disabled key version in the list; `{version}` is its id.
    VERSION_DISABLED: "{version} (disabled)" => "{version}(사용 안 함)";
    /// Around the `az keyvault key rotate` command (shown between the two).
    NEW_VERSION_BEFORE: "A new version of an existing key can only be made through Key Vault itself (its API sends no CORS headers): run "
        => "기존 키의 새 버전은 Key Vault 자체를 통해서만 만들 수 있습니다(해당 API는 CORS 헤더를 보내지 않음). 다음 명령 ";
    NEW_VERSION_AFTER: " and the registry picks it up when auto-rotation is on." => "을(를) 실행하세요. 자동 회전이 켜져 있으면 레지스트리가 새 버전을 사용합니다.";
    AZ_ROTATE_COMMAND: "az keyvault key rotate command" => "az keyvault key rotate 명령";
    SYSTEM_IDENTITY_OPTION: "System-assigned identity" => "시스템 할당 ID";
    /// `{name}` is the identity's name, `{client_id}` its client id.
    USER_IDENTITY_OPTION: "{name} (client id {client_id})" => "{name}(클라이언트 ID {client_id})";
    KEY_VAULT: "Key vault" => "키 자격 증명 모음";
    LOADING: "Loading…" => "불러오는 중…";
    CHOOSE_KEY: "Choose a key" => "키 선택";
    CREATE_NEW_KEY: "Create a new RSA key…" => "새 RSA 키 만들기…";
    NEW_KEY_NAME: "New key name" => "새 키 이름";
    VERSION: "Version" => "버전";
    NEWEST_VERSION_OPTION: "Newest version, auto-rotate (versionless)" => "최신 버전, 자동 회전(버전 없는 키)";
    IDENTITY: "Identity" => "ID";
    CHECKING_ACCESS: "Checking access…" => "액세스 확인 중…";
    REVIEW: "Review" => "검토";
    ROTATE_CONFIRM: "Rotate" => "회전";
    PREFLIGHT_TITLE: "Pre-flight: can the registry reach this key?" => "사전 검사: 레지스트리가 이 키에 접근할 수 있습니까?";
    GRANT_FIRST: "Grant the identity access to the key first (recommended: otherwise the service refuses the rotation)"
        => "먼저 ID에 키에 대한 액세스 권한 부여(권장: 그렇지 않으면 서비스가 회전을 거부함)";

    // Identities.
    CHANGE_IDENTITIES: "Change identities" => "ID 변경";
    SYSTEM_OFF_BUTTON: "Turn off system-assigned identity" => "시스템 할당 ID 끄기";
    SYSTEM_ON_BUTTON: "Turn on system-assigned identity" => "시스템 할당 ID 켜기";
    /// A remove button's accessible name; `{name}` is the identity's name.
    REMOVE_IDENTITY: "Remove identity {name}" => "ID {name} 제거";
    REMOVE: "Remove" => "제거";
    ATTACH_USER: "Attach a user-assigned identity" => "사용자 할당 ID 연결";
    CHOOSE_IDENTITY: "Choose an identity" => "ID 선택";
    ATTACH: "Attach" => "연결";
    IDENTITY_DIALOG: "Change the registry's identities" => "레지스트리의 ID 변경";

    // Revoke and restore.
    KEY_ACCESS: "Key access" => "키 액세스";
    REVOKE_OPEN: "Revoke key access…" => "키 액세스 철회…";
    RESTORE_REVOKED: "Restore what was revoked…" => "철회한 액세스 복원…";
    GRANT_KEY_ACCESS: "Grant key access…" => "키 액세스 권한 부여…";
    /// `{removed}` is what the revoke removed, each in a sentence.
    REVOKED_IN_TAB: "Revoked in this tab: {removed}" => "이 탭에서 철회함: {removed}";
    RESTORE_ACCESS: "Restore access" => "액세스 복원";
    PAGE_GONE: "The page went away." => "페이지가 닫혔습니다.";
    /// `{registry}` is the registry revoked, `{now}` the others now cut off too, or [`NONE`].
    BLAST_RADIUS_CHANGED: "The registries this revoke cuts off changed since the dialog opened (now besides {registry}: {now}). Nothing was sent; close the dialog and open Revoke again."
        => "대화 상자를 연 뒤 이 철회로 키에 접근할 수 없게 되는 레지스트리가 바뀌었습니다(현재 {registry} 외: {now}). 아무것도 보내지 않았습니다. 대화 상자를 닫고 철회를 다시 여세요.";
    NONE: "none" => "없음";
    POLICY_LEGEND: "What to remove from the identity's access policy" => "ID의 액세스 정책에서 제거할 항목";
    POLICY_KEYS_ONLY: "Only get, wrapKey and unwrapKey (its other permissions stay)" => "get, wrapKey, unwrapKey만(다른 권한은 그대로 유지됨)";
    POLICY_WHOLE_ENTRY: "The whole entry, every permission (az keyvault delete-policy)" => "항목 전체, 모든 권한(az keyvault delete-policy)";
    /// `{registries}` is the registry's name, or [`AND_OTHERS`].
    ALL_DATA_LOST: "All data in {registries} becomes inaccessible." => "{registries}의 모든 데이터에 접근할 수 없게 됩니다.";
    AND_OTHERS: "{name} and {others}" => "{name} 및 {others}";
    /// `{others}` are the other registries' names.
    ALSO_AFFECTED_ONE: "{others} reaches its key through the same identity and vault, so it loses it too."
        => "{others}도 같은 ID와 키 자격 증명 모음을 통해 키에 접근하므로 함께 키에 접근할 수 없게 됩니다.";
    ALSO_AFFECTED_MANY: "{others} reach their key through the same identity and vault, so they lose it too."
        => "{others}도 같은 ID와 키 자격 증명 모음을 통해 키에 접근하므로 함께 키에 접근할 수 없게 됩니다.";
    REVOKE_CONSEQUENCES: "The registries can no longer unwrap their encryption key: pulls, pushes and every other data operation fail until access is restored. This tab remembers what it removes, so Restore can put it back exactly."
        => "레지스트리가 더 이상 암호화 키를 래핑 해제할 수 없습니다. 액세스를 복원할 때까지 끌어오기, 푸시 및 다른 모든 데이터 작업이 실패합니다. 이 탭은 제거한 내용을 기억하므로 복원으로 정확히 되돌릴 수 있습니다.";
    KEPT_INTRO: "These grants still give access and are not removed here (they cover far more than this key):"
        => "다음 권한 부여는 여전히 액세스를 허용하며 여기서 제거하지 않습니다(이 키보다 훨씬 넓은 범위를 포함함).";
    /// A role assignment left in place: `{role}` the role's name or [`A_KEY_ROLE`], `{scope}` its scope, `{name}` its name.
    KEPT_GRANT: "{role} at {scope} ({name})" => "{scope}의 {role}({name})";
    A_KEY_ROLE: "a key role" => "키 역할";
    DOWNLOAD_REVOKED: "Download what will be removed, with the az commands that put it back (JSON)"
        => "제거할 내용과 이를 되돌리는 az 명령 다운로드(JSON)";
    REVOKE_CONFIRM: "Revoke access" => "액세스 철회";
    NO_CMK: "The registry has no customer-managed key." => "레지스트리에 고객 관리형 키가 없습니다.";
    PRINCIPAL_UNKNOWN: "The encrypting identity's principal id is not known." => "암호화에 사용하는 ID의 보안 주체 ID를 알 수 없습니다.";
    SEARCHED_TENANT: "Looked for registries with keys in this vault in every subscription you can read (Resource Graph)."
        => "읽을 수 있는 모든 구독에서 이 키 자격 증명 모음에 키가 있는 레지스트리를 찾았습니다(Resource Graph).";
    /// `{code}` is Resource Graph's error code.
    SEARCHED_SUBSCRIPTION: "Looked for registries with keys in this vault in this registry's subscription only: Resource Graph answered {code}. Registries in other subscriptions are not counted."
        => "이 레지스트리의 구독에서만 이 키 자격 증명 모음에 키가 있는 레지스트리를 찾았습니다. Resource Graph가 {code}(으)로 응답했습니다. 다른 구독의 레지스트리는 포함되지 않습니다.";

    // The firewall sequence.
    FIREWALL: "Key Vault firewall" => "Key Vault 방화벽";
    FIREWALL_HINT: "When the vault's firewall blocks the registry: use the system identity, grant it access, let trusted services through, rotate."
        => "키 자격 증명 모음 방화벽이 레지스트리를 차단할 때: 시스템 ID를 사용하고, 액세스 권한을 부여하고, 신뢰할 수 있는 서비스를 허용한 다음 회전합니다.";
    FIREWALL_OPEN: "Guide me through the firewall fix…" => "방화벽 문제 해결 안내…";
    FIREWALL_DIALOG: "Key Vault firewall: let the registry through" => "Key Vault 방화벽: 레지스트리 통과 허용";
    SEQUENCE_OVER: "The sequence is over." => "순서가 끝났습니다.";
    /// `{why}` says what is in place already.
    ALREADY_IN_PLACE: "Read again before sending, this step is already in place ({why}). Nothing was sent."
        => "보내기 전에 다시 읽어 보니 이 단계는 이미 적용되어 있습니다({why}). 아무것도 보내지 않았습니다.";
    COULD_NOT_PLAN: "Could not plan step {n}:" => "{n}단계를 계획할 수 없습니다.";
    SEQUENCE_COMPLETE: "The sequence is complete." => "순서를 모두 마쳤습니다.";
    /// `{title}` is the step's title.
    CURRENT_STEP: "Step {n} of {count}: {title}" => "{count}단계 중 {n}단계: {title}";
    RUN_STEP: "Run step {n}" => "{n}단계 실행";
    READING_STATE: "Reading the current state…" => "현재 상태를 읽는 중…";
    SIGNED_OUT: "Signed out." => "로그아웃되었습니다.";
    LOOKING_FOR_REGISTRIES: "Looking for other registries with keys in this vault…" => "이 키 자격 증명 모음에 키가 있는 다른 레지스트리를 찾는 중…";
    NO_OTHER_REGISTRY: "No other registry keeps its key in vault '{vault}'." => "키 자격 증명 모음 '{vault}'에 키를 둔 다른 레지스트리가 없습니다.";
    /// `{registries}` are the other registries' names.
    OTHERS_IN_VAULT: "This changes the firewall of vault '{vault}' for everything that uses it, including the registries {registries} (they keep their keys there too)."
        => "이 변경은 키 자격 증명 모음 '{vault}'을(를) 사용하는 모든 대상의 방화벽을 바꿉니다. 여기에는 레지스트리 {registries}도 포함됩니다(이 레지스트리들도 키를 여기에 둠).";
    /// A step in the list: `{n}` its number, `{title}` its title.
    STEP_NUMBERED: "{n}. {title}" => "{n}. {title}", same;
    STEP_DONE: "done" => "완료";
    /// `{why}` says why the step was skipped.
    STEP_SKIPPED: "skipped: {why}" => "건너뜀: {why}";
    STEP_FAILED_STATE: "failed" => "실패";
    STEP_NOT_RUN: "not run" => "실행 안 됨";
    STEP_NEXT: "next" => "다음";
    STEP_WAITING: "waiting" => "대기 중";
}
