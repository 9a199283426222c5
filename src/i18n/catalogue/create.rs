//! "New registry with a customer-managed key": the create flow's steps. The
//! refusals, the steps' titles and the review's checks are the domain's
//! (`acr_cmk_domain::writes::creation::{choices, plan, review, template}::words`,
//! `acr_cmk_domain::placement::words`); the exported scripts and templates are
//! code and stay English.

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "New registry with a customer-managed key" => "고객 관리형 키를 사용하는 새 레지스트리";
    LEAD: "A customer-managed key can only be chosen when a registry is created. This flow makes what the registry needs, in the order the service needs it: a user-assigned identity, a key vault with purge protection, the identity's access to the key, the key, and a Premium registry that names them."
        => "고객 관리형 키는 레지스트리를 만들 때만 선택할 수 있습니다. 이 흐름은 레지스트리에 필요한 항목을 서비스가 요구하는 순서대로 만듭니다. 사용자 할당 관리 ID, 제거 보호가 켜진 키 자격 증명 모음, 키에 대한 ID의 액세스, 키, 그리고 이들을 지정하는 프리미엄 레지스트리입니다.";
    READ_ONLY: "The console is read-only: switch on write mode in the header to create a registry."
        => "콘솔이 읽기 전용입니다. 레지스트리를 만들려면 헤더에서 쓰기 모드를 켜세요.";
    STEPS: "Steps" => "단계";
    STEP_BASICS: "Basics" => "기본 사항";
    STEP_IDENTITY: "Identity" => "ID";
    STEP_VAULT: "Key vault" => "키 자격 증명 모음";
    STEP_ACCESS: "Access" => "액세스";
    STEP_KEY: "Key" => "키";
    STEP_REVIEW: "Review" => "검토";
    STEP_RUN: "Run" => "실행";
    STEP_FINISH: "Finish" => "완료";
    BACK: "Back" => "이전";
    /// `{step}` is the next step's title.
    NEXT: "Next: {step}" => "다음: {step}";

    // Basics
    NAME_HINT: "5 to 50 letters and digits; it becomes <name>.azurecr.io." => "영문자와 숫자 5~50자이며, <name>.azurecr.io가 됩니다.";
    CHECKING_NAME: "Checking the name…" => "이름을 확인하는 중…";
    SUBSCRIPTION: "Subscription" => "구독";
    /// What is loading ("Loading subscriptions…").
    LOADING_SUBSCRIPTIONS: "subscriptions" => "구독";
    /// A subscription in the list: its display name and id.
    SUBSCRIPTION_OPTION: "{name} ({id})" => "{name}({id})";
    RESOURCE_GROUP: "Resource group" => "리소스 그룹";
    GROUP_NEW: "Create a new resource group" => "새 리소스 그룹 만들기";
    GROUP_EXISTING: "Use an existing resource group" => "기존 리소스 그룹 사용";
    GROUP_NEW_NAME: "New group's name" => "새 그룹 이름";
    LOADING_GROUPS: "resource groups" => "리소스 그룹";
    GROUP: "Group" => "그룹";
    CHOOSE_GROUP: "Choose a group" => "그룹 선택";
    LOCATION: "Location" => "위치";
    LOADING_LOCATIONS: "locations" => "위치";
    LOCATION_HELP: "The locations this subscription offers for Microsoft.ContainerRegistry."
        => "이 구독에서 Microsoft.ContainerRegistry에 제공하는 위치입니다.";
    REGISTRY_NAME: "Registry name" => "레지스트리 이름";
    SKU: "SKU: Premium. " => "SKU: 프리미엄. ";
    SKU_WHY: "Customer-managed keys are a Premium feature; a registry with one cannot move to Basic or Standard."
        => "고객 관리형 키는 프리미엄 기능입니다. 고객 관리형 키를 사용하는 레지스트리는 기본 또는 표준으로 변경할 수 없습니다.";

    // Identity
    IDENTITY_HELP: "At creation the registry reads its key through a user-assigned identity: its system-assigned identity does not exist until the registry does, so it cannot be granted access beforehand. After creation you can switch to the system-assigned identity (the seed's path for a vault behind a firewall): grant it access, then rotate the key with identity 'system'."
        => "레지스트리는 만들 때 사용자 할당 관리 ID를 통해 키를 읽습니다. 시스템 할당 관리 ID는 레지스트리가 만들어져야 생기므로 미리 액세스 권한을 부여할 수 없습니다. 만든 후에는 시스템 할당 관리 ID로 전환할 수 있습니다(방화벽 뒤의 키 자격 증명 모음에 대한 시드 문서의 방법). 액세스 권한을 부여한 다음 ID 'system'으로 키를 회전하세요.";
    USER_ASSIGNED: "User-assigned identity" => "사용자 할당 관리 ID";
    IDENTITY_NEW: "Create a new identity in the registry's group" => "레지스트리의 그룹에 새 ID 만들기";
    IDENTITY_EXISTING: "Use an existing identity" => "기존 ID 사용";
    IDENTITY_NEW_NAME: "New identity's name" => "새 ID 이름";
    IDENTITY_NEW_HELP: "Azure assigns its client id and principal id when it is created; the run uses them as soon as they are known."
        => "클라이언트 ID와 보안 주체 ID는 ID를 만들 때 Azure가 할당합니다. 실행은 이 값을 알게 되는 즉시 사용합니다.";
    LOADING_IDENTITIES: "identities" => "ID";
    CHOOSE_IDENTITY: "Choose an identity" => "ID 선택";
    NAME: "Name" => "이름";
    RESOURCE_ID: "Resource id" => "리소스 ID";
    CLIENT_ID: "Client id" => "클라이언트 ID";
    PRINCIPAL_ID: "Principal id" => "보안 주체 ID";
    CLIENT_ID_USE: " — the registry's keyVaultProperties.identity (and az acr encryption rotate-key --identity)"
        => " — 레지스트리의 keyVaultProperties.identity(및 az acr encryption rotate-key --identity)";
    PRINCIPAL_ID_USE: " — the vault's access policy objectId, or the role assignment's principalId"
        => " — 키 자격 증명 모음 액세스 정책의 objectId 또는 역할 할당의 principalId";

    // Key vault
    VAULT_WHERE: "Where the key lives" => "키를 보관할 위치";
    VAULT_NEW: "Create a new key vault (soft delete and purge protection on)" => "새 키 자격 증명 모음 만들기(일시 삭제 및 제거 보호 켜짐)";
    VAULT_EXISTING: "Use an existing key vault" => "기존 키 자격 증명 모음 사용";
    VAULT_NEW_NAME: "New vault's name" => "새 키 자격 증명 모음 이름";
    VAULT_NAME_HELP: "Vault names are global: 3 to 24 letters, digits and hyphens."
        => "키 자격 증명 모음 이름은 전역에서 고유합니다. 영문자, 숫자, 하이픈 3~24자를 사용하세요.";
    PERMISSION_MODEL: "Permission model" => "권한 모델";
    MODEL_POLICY_CHOICE: "Access policies (the seed's az keyvault set-policy)" => "액세스 정책(시드 문서의 az keyvault set-policy)";
    MODEL_RBAC_CHOICE: "Azure RBAC (the Key Vault Crypto Service Encryption User role)"
        => "Azure RBAC(Key Vault Crypto Service Encryption User 역할)";
    VAULT_RECOVERY_HELP: "Soft delete keeps deleted keys for 90 days; purge protection stops anyone purging them early. Both are required for a registry's key, and purge protection cannot be turned off again."
        => "일시 삭제는 삭제된 키를 90일 동안 보관하고, 제거 보호는 그 전에 누구도 키를 제거하지 못하게 합니다. 레지스트리의 키에는 둘 다 필요하며, 제거 보호는 다시 끌 수 없습니다.";
    LOADING_VAULTS: "key vaults" => "키 자격 증명 모음";
    VAULT: "Vault" => "키 자격 증명 모음";
    CHOOSE_VAULT: "Choose a vault" => "키 자격 증명 모음 선택";
    ON: "on" => "켜짐";
    OFF: "off" => "꺼짐";
    FIREWALL_CLOSED_BYPASS: "denies public access; trusted Azure services may bypass"
        => "공용 액세스 거부, 신뢰할 수 있는 Azure 서비스는 방화벽을 무시할 수 있음";
    FIREWALL_CLOSED: "denies public access" => "공용 액세스 거부";
    FIREWALL_OPEN: "allows all networks" => "모든 네트워크 허용";
    SOFT_DELETE: "Soft delete" => "일시 삭제";
    PURGE_PROTECTION: "Purge protection" => "제거 보호";
    FIREWALL: "Firewall" => "방화벽";
    MODEL_RBAC: "Azure RBAC" => "Azure RBAC", same;
    MODEL_POLICIES: "Access policies" => "액세스 정책";
    PURGE_CONSENT: "The run can turn purge protection on for this vault before granting access. This cannot be undone: the vault and its keys can then never be purged before their retention period ends."
        => "실행 시 액세스 권한을 부여하기 전에 이 키 자격 증명 모음의 제거 보호를 켤 수 있습니다. 되돌릴 수 없습니다. 그 후에는 키 자격 증명 모음과 그 키를 보존 기간이 끝나기 전에 절대 제거할 수 없습니다.";
    /// `{name}` is the vault's name, typed to confirm.
    TYPE_TO_CONFIRM: "Type '{name}' to confirm" => "확인하려면 '{name}'을(를) 입력하세요";
    PURGE_CONFIRM: "Turn purge protection on during the run" => "실행 중 제거 보호 켜기";

    // Access
    ACCESS_RBAC: "The vault uses Azure RBAC: the identity gets the 'Key Vault Crypto Service Encryption User' role on the vault (get, wrapKey and unwrapKey on its keys, nothing else)."
        => "키 자격 증명 모음은 Azure RBAC를 사용합니다. ID는 키 자격 증명 모음에 대한 'Key Vault Crypto Service Encryption User' 역할을 받습니다(키에 대한 get, wrapKey, unwrapKey만 허용).";
    ACCESS_POLICY: "The vault uses access policies: the identity gets an access policy with the key permissions get, wrapKey and unwrapKey."
        => "키 자격 증명 모음은 액세스 정책을 사용합니다. ID는 키 권한 get, wrapKey, unwrapKey가 있는 액세스 정책을 받습니다.";
    GRANT_NAMES_PRINCIPAL: " The grant names the identity's principal id." => " 권한 부여에는 ID의 보안 주체 ID가 사용됩니다.";
    NOTHING_TO_GRANT: " Nothing to grant." => " 부여할 항목이 없습니다.";

    // Key
    KEY_THE: "The key" => "키";
    KEY_NEW: "Create a new RSA key (through ARM)" => "새 RSA 키 만들기(ARM 사용)";
    KEY_EXISTING_OF_VAULT: "Use an existing key of the vault" => "키 자격 증명 모음의 기존 키 사용";
    KEY_EXISTING_NONE: "Use an existing key (a new vault has none)" => "기존 키 사용(새 키 자격 증명 모음에는 키가 없음)";
    KEY_NEW_NAME: "New key's name" => "새 키 이름";
    KEY_SIZE: "RSA key size" => "RSA 키 크기";
    /// `{n}` is a key size.
    BITS: "{n} bits" => "{n}비트";
    LOADING_KEYS: "keys" => "키";
    CHOOSE_KEY: "Choose a key" => "키 선택";
    /// A key in the list: its name, type (`RSA`) and size.
    KEY_OPTION: "{name} ({kty}, {n} bits)" => "{name}({kty}, {n}비트)";
    KEY_OPTION_NO_SIZE: "{name} ({kty})" => "{name}({kty})";
    TYPE: "Type" => "형식";
    SIZE: "Size" => "크기";
    NOT_REPORTED: "not reported" => "보고되지 않음";
    NEWEST_ENABLED: "Newest enabled version" => "사용 가능한 최신 버전";
    NONE: "none" => "없음";
    ROTATION: "Rotation" => "회전";
    ROTATION_VERSIONLESS: "Versionless key id (recommended): the registry picks up a new key version by itself, within an hour."
        => "버전 없는 키 ID(권장): 레지스트리가 1시간 이내에 새 키 버전을 자동으로 사용합니다.";
    ROTATION_PINNED: "Pinned version: the registry keeps using this version until you rotate by hand (az acr encryption rotate-key)."
        => "고정 버전: 수동으로 회전할 때까지(az acr encryption rotate-key) 레지스트리가 이 버전을 계속 사용합니다.";

    // Review
    NO_ANSWER: "A step has no answer yet: go back and complete it." => "아직 답하지 않은 단계가 있습니다. 돌아가서 완료하세요.";
    CHECKS: "Checks" => "검사";
    REQUESTS: "Requests ({count})" => "요청({count}개)";
    CREATE: "Create" => "만들기";
    DEPLOY_TEMPLATE: "Deploy as a template" => "템플릿으로 배포";
    DEPLOY_TEMPLATE_TITLE: "The same plan sent as one ARM template deployment: validated, then deployed and followed"
        => "같은 계획을 하나의 ARM 템플릿 배포로 보냅니다. 유효성을 검사한 다음 배포하고 진행 상황을 따라갑니다.";
    CREATE_WHY_NOT: "Create is enabled once every check passes." => "모든 검사를 통과하면 만들기를 사용할 수 있습니다.";

    // Export
    EXPORT: "Export" => "내보내기";
    EXPORT_FORMAT: "Export format" => "내보내기 형식";
    DOWNLOAD: "Download" => "다운로드";
    EXPORT_AZ: "Azure CLI script" => "Azure CLI 스크립트";
    EXPORT_ARM: "ARM template" => "ARM 템플릿";
    EXPORT_BICEP: "Bicep" => "Bicep", same;
    EXPORT_TERRAFORM: "Terraform" => "Terraform", same;
    EXPORT_AZ_HELP: "The seed's commands with today's flags; run it with bash, signed in with az login."
        => "시드 문서의 명령을 현재 플래그로 작성했습니다. az login으로 로그인한 후 bash로 실행하세요.";
    EXPORT_ARM_HELP: "Deploy with az deployment group create --resource-group <group> --template-file <file> (the group must exist); every name is a parameter."
        => "az deployment group create --resource-group <group> --template-file <file>로 배포하세요(그룹이 있어야 함). 모든 이름은 매개 변수입니다.";
    EXPORT_BICEP_HELP: "Deploy with az deployment group create --resource-group <group> --template-file <file>."
        => "az deployment group create --resource-group <group> --template-file <file>로 배포하세요.";
    EXPORT_TERRAFORM_HELP: "azurerm 4.x; terraform init, then terraform apply. Existing resources are read with data blocks."
        => "azurerm 4.x를 사용합니다. terraform init 다음 terraform apply를 실행하세요. 기존 리소스는 data 블록으로 읽습니다.";

    // Run
    INCOMPLETE: "The choices are incomplete." => "선택이 완료되지 않았습니다.";
    PLAN_CHANGED: "The plan changed under the run." => "실행 중에 계획이 바뀌었습니다.";
    VALUE_UNKNOWN: "A value this step needs is not known: an earlier step did not answer it."
        => "이 단계에 필요한 값을 알 수 없습니다. 이전 단계에서 응답하지 않았습니다.";
    CHECKING_EXISTS: "Checking whether it exists…" => "이미 있는지 확인하는 중…";
    SENDING: "Sending…" => "보내는 중…";
    ACCEPTED: "Accepted; following the operation…" => "수락되었습니다. 작업을 따라가는 중…";
    /// `{status}` is ARM's operation status (`InProgress`), `{polls}` a count.
    POLL: "{status} (poll {polls})" => "{status}(폴링 {polls}회)";
    READING_BACK: "Reading back…" => "다시 읽는 중…";
    PENDING: "Pending" => "대기 중";
    DONE_EXISTED: "Done: it already existed, nothing was sent" => "완료: 이미 있으므로 아무것도 보내지 않았습니다";
    DONE_REQUEST: "Done (request id {id})" => "완료(요청 ID {id})";
    DONE: "Done" => "완료";
    FAILED: "Failed" => "실패";
    RETRY: "Retry from here" => "여기서부터 다시 시도";

    // Remove what this run created
    REMOVE_CREATED: "Remove what this run created" => "이 실행에서 만든 리소스 삭제";
    REMOVE_HINT: "Deletes only what this run created, newest first, after you confirm; what existed before stays."
        => "확인하면 이 실행에서 만든 리소스만 최신 항목부터 삭제합니다. 이전에 있던 리소스는 그대로 유지됩니다.";
    REMOVE_LEAD: "These deletions take back what this run created, newest first, each with its request and Azure CLI command. Nothing that existed before the run is touched."
        => "다음 삭제 작업은 이 실행에서 만든 리소스를 최신 항목부터 되돌리며, 각 작업의 요청과 Azure CLI 명령을 함께 표시합니다. 실행 전에 있던 리소스는 변경하지 않습니다.";
    REMOVE_NOTHING: "This run has nothing left to delete." => "이 실행에서 삭제할 항목이 남아 있지 않습니다.";
    REMOVE_LEFT: "What stays" => "남는 항목";
    REMOVE_CONFIRM: "Delete" => "삭제";
    REMOVING: "Deleting…" => "삭제하는 중…";
    CHECKING_EMPTY: "Checking that nothing else is in the group…" => "그룹에 다른 항목이 없는지 확인하는 중…";
    /// `{names}` are the resources ARM lists in the group.
    KEPT_NOT_EMPTY: "Not deleted: the group holds other resources ({names})." => "삭제하지 않음: 그룹에 다른 리소스({names})가 있습니다.";
    REMOVE_DONE: "Everything this run created that ARM can delete is deleted." => "이 실행에서 만든 리소스 중 ARM으로 삭제할 수 있는 항목을 모두 삭제했습니다.";

    // Deploy as a template
    PREPARING: "Preparing the template…" => "템플릿을 준비하는 중…";
    PARAMETERS_HELP: "The template's parameters, as the plan set them. Change any before deploying: ARM validates the template before any of its resources is created (a new resource group is made first: a group deployment needs one)."
        => "계획에서 정한 템플릿 매개 변수입니다. 배포하기 전에 바꿀 수 있습니다. ARM은 템플릿의 리소스를 만들기 전에 유효성을 검사합니다(그룹 배포에는 리소스 그룹이 필요하므로 새 리소스 그룹은 먼저 만들어집니다).";
    VALIDATE_AND_DEPLOY: "Validate and deploy" => "유효성 검사 후 배포";
    /// `{name}` is the deployment's name.
    VALIDATING: "Validating deployment '{name}' with ARM…" => "ARM에서 배포 '{name}'의 유효성을 검사하는 중…";
    DEPLOYING: "Deploying '{name}'…" => "'{name}'을(를) 배포하는 중…";
    /// `{status}` is ARM's provisioning state.
    DEPLOYMENT_STATUS: "Deployment '{name}': {status}" => "배포 '{name}': {status}";
    /// `{state}` is ARM's provisioning state (`Canceled`).
    ENDED_WITHOUT_ERROR: "The deployment ended {state} without an error." => "배포가 오류 없이 {state} 상태로 끝났습니다.";
    OPERATIONS: "Operations" => "작업";
    BACK_TO_REVIEW: "Back to Review" => "검토로 돌아가기";

    // Opened from a registry without CMK (`/create?from=<id>`)
    COPY_IMAGES: "Copy the images" => "이미지 복사";
    /// `{name}` and `{server}` are the old registry's name and login server.
    PREFILLED_FROM: "Pre-filled from registry '{name}' ({server}), which has no customer-managed key: its subscription, resource group and location, and a new name."
        => "고객 관리형 키가 없는 레지스트리 '{name}'({server})의 구독, 리소스 그룹, 위치와 새 이름으로 미리 채웠습니다.";
    /// `{old}` and `{new}` are registry names.
    COPY_IMAGES_HELP: "Once '{new}' exists, this script copies every tagged image of '{old}' into it with az acr import, inside Azure. Run it with bash, signed in with az login."
        => "'{new}'이(가) 만들어지면 이 스크립트가 az acr import를 사용하여 Azure 안에서 '{old}'의 태그가 지정된 모든 이미지를 복사합니다. az login으로 로그인한 후 bash로 실행하세요.";
    IMPORT_SCRIPT: "Import script" => "가져오기 스크립트";

    // Finish
    /// `{name}` is the new registry's name.
    FINISHED: "Registry '{name}' was created with a customer-managed key." => "레지스트리 '{name}'이(가) 고객 관리형 키로 만들어졌습니다.";
    OPEN_REGISTRY: "Open the registry" => "레지스트리 열기";
}
