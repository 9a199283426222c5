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
}
