//! The registry page: its frame, and the read-only panels (overview, encryption, identities, rotation).

use acr_cmk_domain::catalogue;

catalogue! {
    NOT_A_REGISTRY: "Not a registry address" => "레지스트리 주소가 아닙니다";
    NOT_A_REGISTRY_HELP: "The address does not name a registry. " => "이 주소는 레지스트리를 가리키지 않습니다. ";
    GO_TO_REGISTRIES: "Go to the registries" => "레지스트리 목록으로 이동";
    BREADCRUMB: "Breadcrumb" => "이동 경로";
    REGISTRIES: "Registries" => "레지스트리";
    /// What is loading, after "Loading".
    THE_REGISTRY: "the registry" => "레지스트리";
    THE_DIAGNOSIS: "the key-access diagnosis" => "키 액세스 진단";
    READ_RETRIED_ONCE: "ARM was busy or failed 1 time; the console retried and this is its answer."
        => "ARM이 사용 중이었거나 1번 실패하여 콘솔이 다시 시도했습니다. 아래는 다시 시도한 결과입니다.";
    /// `{n}` is a number greater than one.
    READ_RETRIED: "ARM was busy or failed {n} times; the console retried and this is its answer."
        => "ARM이 사용 중이었거나 {n}번 실패하여 콘솔이 다시 시도했습니다. 아래는 다시 시도한 결과입니다.";
    CONTAINER_REGISTRY: "Container registry" => "컨테이너 레지스트리";
    REFRESH: "Refresh" => "새로 고침";
    RAW_JSON: "Raw ARM JSON" => "ARM 원본 JSON";
    RAW_JSON_LABEL: "The registry as ARM returned it" => "ARM이 반환한 그대로의 레지스트리";

    OVERVIEW: "Overview" => "개요";
    RESOURCE_GROUP: "Resource group" => "리소스 그룹";
    LOCATION: "Location" => "위치";
    SKU: "SKU" => "SKU", same;
    IDENTITY_TYPE: "Identity type" => "ID 유형";
    LOGIN_SERVER: "Login server" => "로그인 서버";
    PROVISIONING_STATE: "Provisioning state" => "프로비저닝 상태";
    RESOURCE_ID: "Resource id" => "리소스 ID";
    /// The identity type when the registry has none (ARM's own word is absent).
    IDENTITY_NONE: "None" => "없음";

    ENCRYPTION: "Encryption" => "암호화";
    CUSTOMER_MANAGED: "Customer-managed key" => "고객 관리형 키";
    MICROSOFT_MANAGED: "Microsoft-managed key" => "Microsoft 관리형 키";
    NOTHING_TO_ROTATE: "No customer-managed key: nothing to rotate." => "고객 관리형 키가 없으므로 회전할 키가 없습니다.";
    /// A registry without CMK: the way out the service recommends.
    NO_CMK_WAY_OUT: "A customer-managed key cannot be added to an existing registry: it can only be chosen when a registry is created. The way the service recommends is a new Premium registry with a customer-managed key, and the images copied into it with az acr import."
        => "고객 관리형 키는 기존 레지스트리에 추가할 수 없으며 레지스트리를 만들 때만 선택할 수 있습니다. 서비스에서 권장하는 방법은 고객 관리형 키를 사용하는 새 프리미엄 레지스트리를 만들고 az acr import로 이미지를 복사하는 것입니다.";
    CREATE_CMK_FROM_THIS: "New registry with a customer-managed key, from this one" => "이 레지스트리 기반의 고객 관리형 키 레지스트리 만들기";
    /// `{rotation}` is the rotation in words, `{version}` the key version.
    ROTATION_WITH_VERSION: "{rotation}; version in use: {version}" => "{rotation}, 사용 중인 버전: {version}";
    NEVER_ROTATED: "Never rotated since encryption was enabled (not reported)." => "암호화를 사용하도록 설정한 뒤 회전한 적이 없습니다(보고되지 않음).";
    SYSTEM_ASSIGNED: "System-assigned" => "시스템 할당";
    /// `{name}` is the identity's resource name.
    USER_ASSIGNED_NAMED: "User-assigned: {name}" => "사용자 할당: {name}";
    USER_NOT_ATTACHED: "User-assigned (not attached to the registry)" => "사용자 할당(레지스트리에 연결되지 않음)";
    STATUS: "Status" => "상태";
    KEY_VAULT: "Key vault" => "키 자격 증명 모음";
    KEY: "Key" => "키";
    VERSION_IN_USE: "Version in use" => "사용 중인 버전";
    LAST_ROTATION: "Last rotation" => "마지막 회전";
    IDENTITY: "Identity" => "ID";
    IDENTITY_PRINCIPAL: "Identity principal id" => "ID의 보안 주체 ID";
    KEY_IDENTIFIER: "Key identifier" => "키 ID";
    VERSIONED_KEY_IDENTIFIER: "Versioned key identifier" => "버전이 지정된 키 ID";
    IDENTITY_CLIENT: "Identity (client id)" => "ID(클라이언트 ID)";
    KEY_ROTATION_ENABLED: "Key rotation enabled" => "키 회전 사용";
    LAST_KEY_ROTATION: "Last key rotation" => "마지막 키 회전";

    IDENTITIES: "Identities" => "ID";
    USER_ASSIGNED: "User-assigned" => "사용자 할당";
    ON: "On" => "켜짐";
    OFF: "Off" => "꺼짐";
    ENCRYPTING_IDENTITY: "Encrypting identity" => "암호화에 사용하는 ID";
    PRINCIPAL_OBJECT_ID: "Principal (object) id" => "보안 주체(개체) ID";
    CLIENT_APPLICATION_ID: "Client (application) id" => "클라이언트(애플리케이션) ID";
    SYSTEM_OFF_HELP: "Off: the registry has no system-assigned identity. The Key Vault firewall's trusted-services bypass needs it."
        => "꺼짐: 레지스트리에 시스템 할당 ID가 없습니다. Key Vault 방화벽의 신뢰할 수 있는 서비스 예외에는 이 ID가 필요합니다.";
    NO_USER_IDENTITIES: "No user-assigned identities are attached." => "연결된 사용자 할당 ID가 없습니다.";
    USER_IDENTITIES_LIST: "User-assigned identities attached to the registry" => "레지스트리에 연결된 사용자 할당 ID";
    CLIENT_ID: "Client id" => "클라이언트 ID";
    PRINCIPAL_ID: "Principal id" => "보안 주체 ID";
    NAME: "Name" => "이름";
    IDS_LEGEND: "Which id goes where: the registry's encryption setting (keyVaultProperties.identity, az's --identity) names a user-assigned identity by its client id; the key vault's access policy (objectId) and role assignments (principalId) name it by its principal id."
        => "ID의 용도: 레지스트리의 암호화 설정(keyVaultProperties.identity, az의 --identity)은 사용자 할당 ID를 클라이언트 ID로 지정하고, 키 자격 증명 모음의 액세스 정책(objectId)과 역할 할당(principalId)은 보안 주체 ID로 지정합니다.";
    IDENTITY_DELETED: "Deleted" => "삭제됨";
    DETACHED_TITLE: "Named by the encryption setting, not attached" => "암호화 설정에 지정되었지만 연결되지 않음";
    DETACHED_FOUND: "The encryption setting names this user-assigned identity, but it is not attached to the registry, so the registry cannot use it to reach the key. The diagnosis offers to attach it again."
        => "암호화 설정에 이 사용자 할당 ID가 지정되어 있지만 레지스트리에 연결되어 있지 않아, 레지스트리가 이 ID로 키에 접근할 수 없습니다. 진단에서 다시 할당할 수 있습니다.";
    DETACHED_UNKNOWN: "The encryption setting names an identity by this client id, but no identity attached to the registry or in its subscription has it: it was removed or deleted. The article's troubleshooting: assign the identity again if it still exists (az acr identity assign --identities), otherwise rotate the key to another identity that has access."
        => "암호화 설정이 이 클라이언트 ID로 ID를 지정하지만, 레지스트리에 연결된 ID나 구독의 ID 중 이 ID를 가진 것이 없습니다. 제거되었거나 삭제되었습니다. 문서의 문제 해결: ID가 아직 있으면 다시 할당하고(az acr identity assign --identities), 없으면 액세스 권한이 있는 다른 ID로 키를 회전합니다.";
    /// `{name}` is the identity's name.
    RESOURCE_ID_OF: "resource id of {name}" => "{name}의 리소스 ID";
    CLIENT_ID_OF: "client id of {name}" => "{name}의 클라이언트 ID";
    PRINCIPAL_ID_OF: "principal id of {name}" => "{name}의 보안 주체 ID";

    KEY_ROTATION: "Key rotation" => "키 회전";
    ROTATION: "Rotation" => "회전";
    AUTO_ROTATION: "Auto-rotation (versionless key)" => "자동 회전(버전 없는 키)";
    PINNED: "Pinned to a version" => "버전에 고정됨";
    NEWEST_ENABLED_VERSION: "Newest enabled version" => "사용 가능한 최신 버전";
    EXPIRES: "Expires" => "만료";
    DAYS_LEFT: "Days left" => "남은 일수";
}
