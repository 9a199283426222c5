//! The fleet page: every registry of the tenant. Flags, column headings and
//! cell words are the domain's (`acr_cmk_domain::fleet::words`, `fleet_view::words`).

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Fleet" => "전체 레지스트리";
    /// What is loading, after "Loading".
    EVERYTHING: "every registry, vault and identity" => "모든 레지스트리, 키 자격 증명 모음, ID";
    /// `{shown}` of `{total}`, both numbers.
    COUNT: "{shown} of {total} registries" => "레지스트리 {total}개 중 {shown}개";
    LAG: "From Azure Resource Graph, which lags ARM by seconds to minutes: a change just made may not show yet. A registry's page reads ARM itself."
        => "Azure Resource Graph에서 가져온 목록이며, ARM보다 몇 초에서 몇 분 늦습니다. 방금 한 변경은 아직 보이지 않을 수 있습니다. 레지스트리 페이지는 ARM을 직접 읽습니다.";
    /// `{code}` and `{message}` are Resource Graph's error, as it sent them.
    FALLBACK: "Azure Resource Graph refused the query ({code}: {message}), so this list was read subscription by subscription through ARM (slower: three lists per subscription)."
        => "Azure Resource Graph가 쿼리를 거부하여({code}: {message}) 이 목록은 ARM을 통해 구독별로 읽었습니다(더 느림: 구독마다 목록 3개).";
    /// `{n}` is a number, `{subscriptions}` their ids.
    UNREADABLE: " {n} subscription(s) could not be listed, so their registries are missing: {subscriptions}."
        => " 구독 {n}개의 목록을 가져올 수 없어 해당 레지스트리가 빠져 있습니다: {subscriptions}.";
    SEARCH: "Search" => "검색";
    SEARCH_HELP: "Registry name, login server, key vault, key id, identity name, client id or principal id. A pasted resource id or login server opens the registry."
        => "레지스트리 이름, 로그인 서버, 키 자격 증명 모음, 키 ID, ID 이름, 클라이언트 ID 또는 보안 주체 ID. 리소스 ID나 로그인 서버를 붙여 넣으면 해당 레지스트리가 열립니다.";
    EXPORT_CSV: "Export CSV" => "CSV 내보내기";
    EXPORT_JSON: "Export JSON" => "JSON 내보내기";
    /// `{file}` is a file name, `{rows}` a number.
    DOWNLOAD: "Download {file} ({rows} rows)" => "{file} 다운로드({rows}행)";
    /// `{error}` is what the browser said.
    FILE_FAILED: "The browser could not make the file: {error}" => "브라우저가 파일을 만들지 못했습니다: {error}";
    CMK_ON: "CMK on" => "CMK 켜짐";
    CMK_OFF: "CMK off" => "CMK 꺼짐";
    /// A filter chip: `{label}` and how many registries it has.
    CHIP: "{label} ({n})" => "{label} ({n})", same;
    FILTERS: "Filters" => "필터";
    CLEAR_FILTERS: "Clear filters" => "필터 지우기";
    CHART_CMK: "Customer-managed key" => "고객 관리형 키";
    CHART_FLAGS: "Posture flags" => "보안 상태 플래그";
    /// A bar's accessible name: `{label}`, and `{n}` registries.
    BAR: "{label}: {n} registries" => "{label}: 레지스트리 {n}개";
    REGISTRIES: "Registries" => "레지스트리";
    NO_MATCH: "No registry matches this search and these filters." => "이 검색어와 필터에 맞는 레지스트리가 없습니다.";

    // "Diagnose many" (`pages/fleet/diagnose/`).
    /// `{n}`: how many selected registries have a customer-managed key.
    DIAGNOSE_SELECTED: "Diagnose the selected ({n})" => "선택한 항목 진단({n})";
    /// `{n}`: how many registries have a customer-managed key.
    DIAGNOSE_ALL: "Diagnose all CMK registries ({n})" => "모든 CMK 레지스트리 진단({n})";
    CANCEL: "Cancel" => "취소";
    DIAGNOSE_LAG: "The diagnosis starts from Resource Graph's copy of each registry, which can be seconds to minutes behind ARM: \"Re-read from ARM\" on a row reads the registry itself and diagnoses it again."
        => "진단은 Resource Graph에 있는 각 레지스트리의 사본에서 시작하며, 이 사본은 ARM보다 몇 초에서 몇 분 늦을 수 있습니다. 행의 \"ARM에서 다시 읽기\"는 레지스트리를 직접 읽고 다시 진단합니다.";
    PROGRESS_LABEL: "Diagnosis progress" => "진단 진행률";
    /// `{done}` of `{total}` registries.
    PROGRESS: "{done} of {total} diagnosed" => "{total}개 중 {done}개 진단됨";
    /// After the count: `{n}` whole seconds.
    LEFT_SECS: ", about {n} s left" => ", 약 {n}초 남음";
    /// After the count: `{n}` whole minutes.
    LEFT_MINS: ", about {n} min left" => ", 약 {n}분 남음";
    CANCELLED: ", cancelled" => ", 취소됨";
    DONE: ", done" => ", 완료됨";
    /// How many verdicts of each kind the page shows (this run's, earlier runs' and re-reads').
    TALLY: "Verdicts so far: {ok} can reach their key, {broken} cannot, {unknown} unconfirmed." => "지금까지의 결과: 키에 접근 가능 {ok}개, 접근 불가 {broken}개, 확인 불가 {unknown}개.";
    /// A toggle: the table keeps only the rows whose verdict is a failure.
    ONLY_UNREACHABLE: "Only those that cannot reach their key" => "키에 접근할 수 없는 항목만";
    SELECT: "Select" => "선택";
    /// A row's checkbox; `{name}` is the registry's.
    SELECT_ROW: "Select {name}" => "{name} 선택";
    KEY_ACCESS: "Key access" => "키 액세스";
    NOT_DIAGNOSED: "Not diagnosed" => "진단 안 함";
    DIAGNOSING: "Diagnosing…" => "진단 중…";
    REACHES: "Can reach its key" => "키에 접근할 수 있음";
    /// `{reason}` is the first failed check's evidence.
    CANNOT_REACH: "Cannot reach its key: {reason}" => "키에 접근할 수 없음: {reason}";
    /// `{reason}` is the first check that could not be decided.
    UNCONFIRMED: "Unconfirmed: {reason}" => "확인할 수 없음: {reason}";
    NO_CMK: "No customer-managed key" => "고객 관리형 키 없음";
    /// After a verdict that came from "Re-read from ARM".
    FROM_ARM: " (read from ARM)" => " (ARM에서 읽음)";
    /// `{code}` is ARM's error code.
    REREAD_FAILED: "Could not read from ARM: {code}" => "ARM에서 읽지 못함: {code}";
    REREAD: "Re-read from ARM" => "ARM에서 다시 읽기";
    /// A row's button; `{name}` is the registry's.
    REREAD_ROW: "Re-read from ARM: {name}" => "ARM에서 다시 읽기: {name}";
}
