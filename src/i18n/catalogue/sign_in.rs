//! Signing in: the sign-in page and Entra ID's return to the console.

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Sign in to Azure Resource Manager" => "Azure Resource Manager에 로그인";
    WITH_MICROSOFT: "Sign in with Microsoft" => "Microsoft로 로그인";
    ENTRA_SETTINGS: "Entra ID settings" => "Entra ID 설정";
    AUTHORITY: "Authority" => "기관(Authority)";
    CLIENT_ID: "Application (client) ID" => "애플리케이션(클라이언트) ID";
    REDIRECT_URI: "Redirect URI (platform: Single-page application)" => "리디렉션 URI(플랫폼: 단일 페이지 애플리케이션)";
    OR_PASTE: "Or paste a token:" => "또는 토큰을 붙여 넣으세요:";
    LEAD: "The console calls ARM from this page with your own access token. It is kept in this tab's memory only and sent only to the endpoint below."
        => "이 콘솔은 이 페이지에서 사용자의 액세스 토큰으로 ARM을 호출합니다. 토큰은 이 탭의 메모리에만 보관되며 아래 엔드포인트로만 전송됩니다.";
    ACCESS_TOKEN: "Access token" => "액세스 토큰";
    TOKEN_HELP_BEFORE: "The raw token, or the JSON printed by" => "토큰 그대로, 또는 다음 명령이 출력한 JSON:";
    ENDPOINT: "ARM endpoint" => "ARM 엔드포인트";
    ENDPOINT_HELP: "Public Azure is https://management.azure.com." => "공용 Azure는 https://management.azure.com입니다.";
    SIGN_IN: "Sign in" => "로그인";
    DEMO_SIGN_IN: "Demo sign-in" => "데모 로그인";
    /// `{error}` is the reason, as the emulator or the network gave it.
    DEMO_FAILED: "Demo sign-in failed: {error}" => "데모 로그인 실패: {error}";

    SIGNING_IN: "Signing in" => "로그인하는 중";
    FINISHING: "Finishing sign-in with Microsoft…" => "Microsoft 로그인을 마무리하는 중…";
    BACK_TO_SIGN_IN: "Back to sign-in" => "로그인으로 돌아가기";
}
