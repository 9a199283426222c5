//! The home page (subscriptions and their registries) and the not-found page.

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Container registries" => "컨테이너 레지스트리";
    NEW_CMK_REGISTRY: "New registry with customer-managed key" => "고객 관리형 키를 사용하는 새 레지스트리";
    SUBSCRIPTIONS: "subscriptions" => "구독";
    REGISTRIES: "registries" => "레지스트리";
    NO_SUBSCRIPTIONS: "This token sees no subscriptions." => "이 토큰으로 볼 수 있는 구독이 없습니다.";
    NO_REGISTRIES: "No container registries in this subscription." => "이 구독에는 컨테이너 레지스트리가 없습니다.";
    COL_NAME: "Name" => "이름";
    COL_RESOURCE_GROUP: "Resource group" => "리소스 그룹";
    COL_LOCATION: "Location" => "위치";
    COL_SKU: "SKU" => "SKU", same;
    COL_CMK: "Customer-managed key" => "고객 관리형 키";
    CMK_ENABLED: "enabled" => "사용";
    CMK_DISABLED: "disabled" => "사용 안 함";

    NOT_FOUND: "Page not found" => "페이지를 찾을 수 없음";
    NOT_FOUND_TEXT: "This console has no page at this address." => "이 주소에는 콘솔 페이지가 없습니다.";
    GO_HOME: "Go to the registries" => "레지스트리로 이동";
}
