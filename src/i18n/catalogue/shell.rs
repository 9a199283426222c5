//! The frame around every page: start-up, the header, the account menu, the
//! language menu, write mode, and the widgets every page uses.

use acr_cmk_domain::catalogue;

catalogue! {
    STARTING: "Starting…" => "시작하는 중…";
    CSP_MISSING: "This console was served without a Content-Security-Policy header, so the browser does not limit where \
        this page may send requests (and your token). Serve it with the headers in the README's Hosting section."
        => "이 콘솔이 Content-Security-Policy 헤더 없이 제공되어, 브라우저가 이 페이지가 요청(과 토큰)을 보낼 수 있는 곳을 \
        제한하지 않습니다. README의 Hosting 절에 있는 헤더와 함께 제공하세요.";
    BRAND: "ACR encryption console" => "ACR 암호화 콘솔";
    MENU: "Menu" => "메뉴";
    NAV_DECODE: "Decode an error" => "오류 해석";
    /// The tenant-wide page of every registry.
    NAV_FLEET: "Fleet" => "전체 레지스트리";
    WRITE_FLAG: "Write mode on: changes allowed" => "쓰기 모드 켜짐: 변경할 수 있습니다";
    WRITE_MODE: "Write mode" => "쓰기 모드";
    WRITE_MODE_ON: "on: changes allowed" => "켜짐: 변경할 수 있습니다";
    WRITE_MODE_OFF: "off: read-only" => "꺼짐: 읽기 전용";
    LANGUAGE: "Language" => "언어";

    TOKEN_EXPIRED_BADGE: "token expired" => "토큰 만료됨";
    SIGN_OUT: "Sign out" => "로그아웃";
    ACCOUNT_NAME: "Name" => "이름";
    ACCOUNT_UPN: "UPN" => "UPN", same;
    ACCOUNT_TENANT: "Tenant" => "테넌트";
    ACCOUNT_OBJECT_ID: "Object id" => "개체 ID";
    ACCOUNT_TOKEN: "Token" => "토큰";
    ACCOUNT_ENDPOINT: "ARM endpoint" => "ARM 엔드포인트";
    TOKEN_EXPIRY: "token expiry" => "토큰 만료 시각";
    /// `{at}` is a formatted date and time, `{left}` a relative time ("in 42 minutes").
    TOKEN_EXPIRES: "expires {at} ({left})" => "{at}에 만료 ({left})";
    TOKEN_EXPIRED_AT: "expired at {at}" => "{at}에 만료됨";

    /// `{what}` is the thing copied, already in the page's language.
    COPY_WHAT: "Copy {what}" => "{what} 복사";
    COPY: "Copy" => "복사";
    COPIED: "Copied" => "복사됨";
    /// `{what}` is what loads, e.g. "subscriptions".
    LOADING_WHAT: "Loading {what}…" => "{what} 불러오는 중…";
    CLOSE: "Close" => "닫기";
    /// A field ARM did not send.
    NOT_SET: "(not set)" => "(설정 안 됨)";
    /// A field whose value comes from a read still under way.
    READING: "Reading…" => "읽는 중…";
    TRY_AGAIN: "Try again" => "다시 시도";
    REQUEST_ID: "Request id" => "요청 ID";
    REQUEST_ID_LOWER: "request id" => "요청 ID";
    TOKEN_REFUSED_HINT: "ARM refused the token: it may have expired or been revoked. Sign out and sign in with a fresh token."
        => "ARM이 토큰을 거부했습니다. 토큰이 만료되었거나 철회되었을 수 있습니다. 로그아웃한 다음 새 토큰으로 로그인하세요.";

    REAUTH: "Azure Resource Manager no longer accepts this sign-in (HTTP 401: the token expired or was revoked). Sign in again to continue; you will come back to this page."
        => "Azure Resource Manager가 이 로그인을 더 이상 받아들이지 않습니다(HTTP 401: 토큰이 만료되었거나 철회됨). 계속하려면 다시 로그인하세요. 로그인한 뒤 이 페이지로 돌아옵니다.";
    SIGN_IN_AGAIN: "Sign in again" => "다시 로그인";
    NOT_NOW: "Not now" => "나중에";

    BACKGROUND_WRITES: "Changes that ran on after their dialog closed" => "대화 상자를 닫은 뒤에도 계속 실행된 변경";
    BACKGROUND_RUNNING: "still running: its outcome will show here" => "아직 실행 중: 결과가 여기에 표시됩니다";
    BACKGROUND_DONE: "finished: done" => "끝남: 완료";
    BACKGROUND_UNKNOWN: "finished: outcome unknown (refresh to see)" => "끝남: 결과를 알 수 없음(새로 고쳐서 확인)";
    BACKGROUND_FAILED: "finished: failed" => "끝남: 실패";
    DISMISS: "Dismiss" => "닫기";
}
