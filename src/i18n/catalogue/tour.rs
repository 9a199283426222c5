//! The guided demo (`crate::tour`): the launcher, the side panel's buttons and
//! each step's title, narration and outcome, in our own words (not the seed
//! article's), with the glossary's Korean terms.

use acr_cmk_domain::catalogue;

catalogue! {
    /// The launcher and the panel's region name.
    TOUR: "Guided demo" => "가이드 데모";
    START: "Start the guided demo" => "가이드 데모 시작";
    /// `{n}` and `{total}` are numbers.
    RESUME: "Resume the guided demo (step {n} of {total})" => "가이드 데모 계속하기({total}단계 중 {n}단계)";
    /// `{n}` and `{total}` are numbers.
    COUNTER: "Step {n} of {total}" => "{total}단계 중 {n}단계";
    /// Read out when the step changes; `{title}` is the step's title.
    ANNOUNCE: "Step {n} of {total}: {title}" => "{total}단계 중 {n}단계: {title}";
    DO_IT: "Do it for me" => "대신 실행";
    DOING: "Working…" => "실행하는 중…";
    NEXT: "Next" => "다음";
    BACK: "Back" => "이전";
    MINIMISE: "Minimise" => "최소화";
    END: "End tour" => "데모 끝내기";
    RESET: "Reset the demo" => "데모 초기화";
    RESETTING: "Putting the demo back as it started…" => "데모를 처음 상태로 되돌리는 중…";
    RESET_DONE: "The demo is back as it started: every change is gone. The tour is at step 1." => "데모가 처음 상태로 돌아갔습니다. 모든 변경이 사라졌고 데모는 1단계에 있습니다.";
    DONE: "Done. The page shows the result." => "완료되었습니다. 페이지에 결과가 표시됩니다.";
    FAILED: "That did not work:" => "실행하지 못했습니다:";
    /// Shown instead of the highlight's own words when write mode must be switched on first.
    NEEDS_WRITE_MODE: "This step changes Azure: switch on write mode in the header first (highlighted), or let the tour do it." => "이 단계는 Azure를 변경합니다. 먼저 헤더에서 쓰기 모드를 켜거나(강조 표시됨) 데모가 대신 실행하게 하세요.";
    HIGHLIGHT_HINT: "The part of the page to use is outlined." => "사용할 페이지 부분이 윤곽선으로 표시됩니다.";
    /// `{seconds}` is a number.
    WAITING_ROTATION: "Waiting for the registry to pick up the new version by itself ({seconds} s so far)…" => "레지스트리가 새 버전을 스스로 적용하기를 기다리는 중({seconds}초 경과)…";
    ROTATION_SEEN: "The registry now uses the new version: nobody rotated it by hand." => "레지스트리가 이제 새 버전을 사용합니다. 아무도 직접 회전하지 않았습니다.";
    ROTATION_NOT_SEEN: "The registry has not picked up the new version yet; it will within the emulator's rotation interval (Azure: within an hour)." => "레지스트리가 아직 새 버전을 적용하지 않았습니다. 에뮬레이터의 회전 간격 안에 적용됩니다(Azure: 1시간 이내).";

    STEP_CREATE: "Create a registry with a customer-managed key" => "고객 관리형 키로 레지스트리 만들기";
    NARRATE_CREATE: "A registry can only be given a customer-managed key when it is created. The flow picks a user-assigned managed identity, a key vault with purge protection and an RSA key, grants the identity access to the key, and creates the Premium registry 'contosotour' pinned to the key's newest version." => "고객 관리형 키는 레지스트리를 만들 때만 지정할 수 있습니다. 이 흐름은 사용자 할당 관리 ID, 제거 보호가 켜진 키 자격 증명 모음과 RSA 키를 고르고, ID에 키 액세스 권한을 부여한 다음, 키의 최신 버전에 고정된 프리미엄 레지스트리 'contosotour'를 만듭니다.";
    STEP_STATUS: "See its encryption status" => "암호화 상태 보기";
    NARRATE_STATUS: "The registry page says in words whether the registry can reach its key, and draws the chain registry → identity → key vault → key. Every link is green: the data is readable." => "레지스트리 페이지는 레지스트리가 키에 접근할 수 있는지를 문장으로 알려 주고 레지스트리 → ID → 키 자격 증명 모음 → 키의 연결을 그립니다. 모든 연결이 녹색이면 데이터를 읽을 수 있습니다.";
    STEP_ROTATE: "Rotate to a new key version by hand" => "새 키 버전으로 직접 회전";
    NARRATE_ROTATE: "A pinned key stays on its version until someone rotates it. The tour makes a new version in the key vault (what 'az keyvault key rotate' does) and rotates the registry to it with the same identity." => "버전에 고정된 키는 누군가 회전할 때까지 그 버전에 머뭅니다. 데모는 키 자격 증명 모음에 새 버전을 만들고('az keyvault key rotate'와 같음) 같은 ID로 레지스트리를 그 버전으로 회전합니다.";
    STEP_VERSIONLESS: "Switch to the versionless key" => "버전 없는 키로 전환";
    NARRATE_VERSIONLESS: "With a versionless key identifier the registry follows the key by itself: key rotation becomes automatic. The tour rotates the registry to the key without a version." => "버전 없는 키 ID를 사용하면 레지스트리가 키를 스스로 따라가므로 키 회전이 자동이 됩니다. 데모는 레지스트리를 버전 없는 키로 회전합니다.";
    STEP_AUTO: "Watch auto-rotation pick up a new version" => "자동 회전이 새 버전을 적용하는 것 보기";
    NARRATE_AUTO: "The tour makes another key version and waits. Azure picks it up within an hour; the emulator within seconds. The key rotation panel shows the version in use against the newest one." => "데모가 키 버전을 하나 더 만들고 기다립니다. Azure는 1시간 이내에, 에뮬레이터는 몇 초 안에 적용합니다. 키 회전 패널에서 사용 중인 버전과 최신 버전을 비교할 수 있습니다.";
    STEP_REVOKE: "Revoke access and see the registry become inaccessible" => "액세스를 철회하고 레지스트리에 접근할 수 없게 되는 것 보기";
    NARRATE_REVOKE: "Revoking takes get, wrapKey and unwrapKey away from the identity in the key vault's access policy. Every registry that reaches the key through that identity loses it, and the diagnosis turns red: pulls and pushes fail." => "액세스를 철회하면 키 자격 증명 모음의 액세스 정책에서 ID의 get, wrapKey, unwrapKey 권한이 제거됩니다. 그 ID로 키에 접근하는 모든 레지스트리가 접근 권한을 잃고 진단이 빨간색으로 바뀝니다. 끌어오기와 밀어넣기가 실패합니다.";
    STEP_RESTORE: "Restore access" => "액세스 복원";
    NARRATE_RESTORE: "Restore puts back exactly what the revoke removed. The registry reaches its key again and the diagnosis turns green." => "복원은 철회로 제거된 것을 그대로 되돌립니다. 레지스트리가 다시 키에 접근하고 진단이 녹색으로 바뀝니다.";
    STEP_FIREWALL: "The firewall scenario with the system identity" => "시스템 할당 ID를 사용하는 방화벽 시나리오";
    NARRATE_FIREWALL: "When the key vault's firewall denies public access, only trusted Microsoft services get through, and only a system-assigned identity counts as one. In four steps: turn on the registry's system-assigned identity, grant it access to the key, allow trusted Microsoft services to bypass the firewall, and rotate to the same key with the system identity. Close the vault's firewall first to see the registry lose its key." => "키 자격 증명 모음의 방화벽이 공용 액세스를 거부하면 신뢰할 수 있는 Microsoft 서비스만 통과하며, 시스템 할당 ID만 그런 서비스로 인정됩니다. 네 단계로 진행합니다. 레지스트리의 시스템 할당 ID를 켜고, 키 액세스 권한을 부여하고, 신뢰할 수 있는 Microsoft 서비스가 이 방화벽을 무시하도록 허용한 다음, 시스템 할당 ID로 같은 키로 회전합니다. 먼저 키 자격 증명 모음 방화벽을 닫으면 레지스트리가 키에 접근하지 못하게 되는 모습을 볼 수 있습니다.";
    SCENE_FIREWALL: "First, close the vault's firewall" => "먼저 키 자격 증명 모음 방화벽 닫기";
    SCENE_FIREWALL_SET: "The vault's firewall now denies public access with no exception: the registry, which reaches its key through its user-assigned identity, has lost it. Now do the four steps." => "이제 키 자격 증명 모음 방화벽이 예외 없이 공용 액세스를 거부합니다. 사용자 할당 ID로 키에 접근하던 레지스트리가 키에 접근할 수 없게 되었습니다. 이제 네 단계를 진행합니다.";
    NO_DEMO_SUBSCRIPTION: "No subscription you can read holds the demo's resource group rg-acr-demo: is this the demo scenario?" => "읽을 수 있는 구독 중 데모 리소스 그룹 rg-acr-demo가 있는 구독이 없습니다. 데모 시나리오가 맞나요?";
    MISSING_IDENTITY: "The demo's identity id-acr-cmk is missing." => "데모의 ID id-acr-cmk가 없습니다.";
    MISSING_VAULT: "The demo's vault kv-acr-demo is missing." => "데모의 키 자격 증명 모음 kv-acr-demo가 없습니다.";
    MISSING_KEY: "The demo's key acr-cmk-key is missing." => "데모의 키 acr-cmk-key가 없습니다.";
    NO_CMK: "The registry has no customer-managed key." => "레지스트리에 고객 관리형 키가 없습니다.";
    NO_KEY_IDENTITY: "The registry has no identity to reach a key." => "레지스트리에 키에 접근할 ID가 없습니다.";
    FINISHED: "That is the whole story. Reset the demo to tell it again." => "이야기가 모두 끝났습니다. 다시 보여 주려면 데모를 초기화하세요.";
}
