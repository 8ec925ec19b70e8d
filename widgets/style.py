"""The workbook's stylesheet: calm colours, readable type, clear marking of restricted parts."""

# ruff: noqa: E501 (CSS rules read best one per line)

CSS = """
<style>
.cm-app { font-size: 14px; color: #1f2328; max-width: 1500px; }
.cm-app h3, .cm-app h4 { margin: 6px 0; font-weight: 600; }
.cm-header { align-items: center; gap: 16px; padding: 8px 12px; border-bottom: 1px solid #d0d7de;
  background: #f6f8fa; border-radius: 6px; }
.cm-case-heading { font-size: 17px; font-weight: 600; }
.cm-save-state { color: #1a7f37; }
.cm-save-state.cm-unsaved { color: #9a6700; }
.cm-message { padding: 0; }
.cm-message-box { margin: 8px 0; }
.cm-message .widget-html-content > div { background: #fff8c5; border: 1px solid #d4a72c;
  padding: 8px 12px; border-radius: 6px; }
.cm-training-banner .widget-html-content > div { background: #ddf4ff; border: 1px solid #54aeff;
  padding: 6px 12px; border-radius: 6px; }
.cm-nav { width: 260px; min-width: 230px; padding-right: 12px; }
.cm-nav button { text-align: left; width: 100%; margin: 2px 0; background: #ffffff;
  border: 1px solid #d0d7de; border-radius: 6px; height: 34px; }
.cm-nav button.cm-step-current { background: #0969da; color: #fff; border-color: #0969da; }
.cm-step { padding: 0 16px; }
.cm-guidance { background: #f6f8fa; border-left: 4px solid #8c959f; padding: 8px 12px; margin-bottom: 10px;
  border-radius: 0 6px 6px 0; line-height: 1.45; }
.cm-guidance ul { margin: 4px 0 0 0; padding-left: 18px; }
.cm-prompts { color: #57606a; font-style: italic; }
.cm-side { width: 300px; min-width: 260px; border-left: 1px solid #d0d7de; padding-left: 12px; }
.cm-findings details { margin: 4px 0 8px 0; }
.cm-findings summary { cursor: pointer; line-height: 1.4; }
.cm-findings ul { margin: 4px 0; padding-left: 18px; }
.cm-finding { margin: 4px 0; line-height: 1.4; }
.cm-question { color: #57606a; font-style: italic; }
.cm-count { font-size: 12px; color: #57606a; margin-left: 4px; }
.cm-count-gap { color: #9a6700; }
.cm-count-ok { color: #1a7f37; }
.cm-findings-total { font-weight: 600; color: #424a53; margin: 2px 0 8px 0; }
.cm-timeline-frame { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; }
.cm-timeline-frame.cm-enlarged img { max-width: none !important; width: auto !important; }
.cm-field-label { font-weight: 600; font-size: 13px; color: #424a53; }
.cm-help { color: #57606a; font-size: 12.5px; }
.cm-valid { color: #1a7f37; font-size: 12.5px; }
.cm-invalid { color: #cf222e; font-size: 12.5px; }
.cm-lens-body { background: #fff1e5; border-left: 3px solid #bc4c00; padding: 4px 8px; margin-top: 2px;
  border-radius: 0 4px 4px 0; font-size: 12.5px; }
.cm-lens-body ul { margin: 2px 0; padding-left: 16px; }
.cm-lens-title { font-weight: 600; color: #953800; }
.cm-lens-better { color: #1a7f37; }
.cm-badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px;
  background: #eaeef2; color: #424a53; }
.cm-badge-confidential { background: #fbefff; color: #8250df; border: 1px solid #c297ff; }
.cm-restricted { border: 2px solid #cf222e; border-radius: 8px; padding: 8px; margin-top: 12px; }
.cm-restricted-banner { background: #ffebe9; color: #82071e; padding: 6px 10px; border-radius: 6px; }
.cm-form { padding-right: 8px; }
.cm-record-list { box-sizing: border-box; }
.cm-plan-box { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px; margin-top: 12px; }
.cm-record-list select { font-size: 13px; }
.cm-child-block { margin: 4px 0 8px 0; }
.cm-per-child-list { background: #f6f8fa; border-radius: 6px; padding: 6px 10px; margin-bottom: 10px; }
.cm-cases { line-height: 1.8; }
.cm-app a.cm-case-link, .cm-app a.cm-open-new { color: #0969da; text-decoration: underline; }
.cm-app a.cm-download { display: inline-block; background: #1f883d; color: #fff; padding: 6px 14px;
  border-radius: 6px; text-decoration: none; font-weight: 600; margin: 6px 0; }
.cm-conflict .widget-html-content > div { background: #ffebe9; border: 1px solid #ff8182;
  padding: 8px 12px; border-radius: 6px; }
</style>
"""
