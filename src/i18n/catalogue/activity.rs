//! The registry page's Activity panel: who changed the registry and its key vault, when, from Azure's
//! Activity Log; and a failing check's likely cause. Operation names and statuses in words are
//! `acr_cmk_domain::activity_log::words`; callers (UPNs, object ids) are shown as Azure gives them.

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Activity log" => "활동 로그";
    HELP: "Who changed this registry and its key vault in the last {days} days, newest first, from Azure's Activity Log."
        => "최근 {days}일 동안 이 레지스트리와 키 자격 증명 모음을 누가 변경했는지 Azure 활동 로그에서 최신순으로 보여 줍니다.";
    THE_ACTIVITY: "the activity log" => "활동 로그";
    EMPTY: "No changes in the last {days} days." => "최근 {days}일 동안 변경 사항이 없습니다.";
    OPERATION: "Operation" => "작업";
    CALLER: "Event initiated by" => "이벤트 시작 주체";
    TIME: "Time" => "시간";
    STATUS: "Status" => "상태";
    RESOURCE: "Resource" => "리소스";
    ON_REGISTRY: "Registry" => "레지스트리";
    ON_VAULT: "Key vault" => "키 자격 증명 모음";
    UNKNOWN_CALLER: "(not recorded)" => "(기록되지 않음)";
    READ_FAILED: "The activity log of {resource} could not be read:" => "{resource}의 활동 로그를 읽을 수 없습니다.";
    LIKELY_CAUSE: "Likely cause: {operation} by {caller} at {time}" => "가능한 원인: {time}에 {caller}이(가) 수행한 {operation}";
    SEE_EVENT: "See it in the activity log" => "활동 로그에서 보기";
}
