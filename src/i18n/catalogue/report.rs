//! The ticket report's panel. The report itself is English: it goes to support
//! (and to Microsoft's when escalated), whatever language the page shows.

use acr_cmk_domain::catalogue;

catalogue! {
    TITLE: "Report for a ticket" => "티켓용 보고서";
    COPY: "Copy report" => "보고서 복사";
    DOWNLOAD: "Download report" => "보고서 다운로드";
    HELP: "The verdict, every check with its evidence and fix, the ids, and the request ids of the reads behind them: Markdown to paste, JSON to attach. It never contains your token. The report is in English, for support."
        => "판정, 각 검사의 근거와 해결 방법, ID, 그리고 그 근거가 된 읽기 요청의 요청 ID를 담습니다. 붙여 넣을 Markdown과 첨부할 JSON으로 제공되며, 토큰은 절대 포함하지 않습니다. 보고서는 지원 담당자를 위해 영어로 작성됩니다.";
    COPIED: "Copied: paste it into the ticket." => "복사했습니다. 티켓에 붙여 넣으세요.";
    CLIPBOARD_REFUSED: "The browser refused the clipboard: select the report below and copy it."
        => "브라우저가 클립보드 사용을 거부했습니다. 아래 보고서를 선택하여 복사하세요.";
    SHOW: "Show the report" => "보고서 보기";
    AS_MARKDOWN: "The report as Markdown" => "Markdown 형식의 보고서";
}
