pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Pdf
import Facet

// The built-in PDF viewer a cited source opens in (QtQuick.Pdf, Qt 6.4):
// the document at the cited page with the question's word highlighted on it
// (the view's search marks every match; the page stays the cited one).
// Escape or the close button closes it; PgUp/PgDn move between pages.
Popup {
    id: viewer
    required property Theme theme
    // 1-based, the page on screen: what the source's "p. N" names.
    readonly property int pageNumber: view.currentPage + 1
    readonly property int pageCount: document.pageCount
    property int targetPage: 0  // 0-based, the page to show once the document is ready
    property alias search: view.searchString
    property string fileName

    // One call per citation click (ChatController::pdfSourceRequested).
    function showPage(file, name, pageIndex, word) {
        targetPage = pageIndex
        fileName = name
        jumpPending = true
        document.source = file
        view.searchString = word
        open()
    }
    // The page image loads asynchronously and a new document resets it to
    // its first frame, so the jump waits until the view's image is ready;
    // a jump before that reports the page as current yet shows page 1.
    property bool jumpPending: false
    function jumpToTarget() {
        if (!jumpPending || !opened || document.status !== PdfDocument.Ready || view.status !== Image.Ready) return
        jumpPending = false
        view.goToPage(targetPage)
    }
    onOpened: jumpToTarget()
    Connections {
        target: view
        function onStatusChanged() { viewer.jumpToTarget() }
    }

    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    // Gone at once when closed (no fade of the style's): the click after Esc
    // reaches the chat, not a viewer still fading out.
    exit: Transition {}
    padding: theme.spacing / 2

    PdfDocument {
        id: document
    }

    background: Rectangle {
        color: viewer.theme.surface
        radius: viewer.theme.radius
        border.color: viewer.theme.mutedText
    }

    contentItem: ColumnLayout {
        spacing: viewer.theme.spacing / 2
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("PDF viewer: %1").arg(viewer.fileName)
        RowLayout {
            Layout.fillWidth: true
            spacing: viewer.theme.spacing / 2
            Label {
                Layout.fillWidth: true
                text: viewer.fileName
                font.bold: true
                elide: Text.ElideMiddle
                color: viewer.theme.text
            }
            ToolButton {
                text: "\u2039"
                enabled: view.currentPage > 0
                onClicked: view.goToPage(view.currentPage - 1)
                Accessible.name: qsTr("Previous page")
            }
            Label {
                objectName: "pdfPageLabel"
                text: qsTr("Page %1 of %2").arg(viewer.pageNumber).arg(viewer.pageCount)
                color: viewer.theme.mutedText
                Accessible.name: text
            }
            ToolButton {
                text: "\u203a"
                enabled: view.currentPage < viewer.pageCount - 1
                onClicked: view.goToPage(view.currentPage + 1)
                Accessible.name: qsTr("Next page")
            }
            TextField {
                Layout.preferredWidth: 160
                placeholderText: qsTr("Find in document")
                text: view.searchString
                onAccepted: view.searchString = text
                Accessible.name: qsTr("Find in document")
            }
            ToolButton {
                objectName: "pdfClose"
                icon.source: viewer.theme.icon("x")
                display: AbstractButton.IconOnly
                onClicked: viewer.close()
                Accessible.name: qsTr("Close the viewer")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Close (Esc)")
            }
        }
        // The page on a darker desk, so its white edge shows.
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Qt.darker(viewer.theme.background, viewer.theme.dark ? 1.3 : 1.12)
            PdfScrollablePageView {
                id: view
                objectName: "pdfView"
                anchors.fill: parent
                anchors.margins: viewer.theme.spacing
                clip: true
                document: document
            }
        }
    }

    Shortcut {
        sequence: StandardKey.MoveToNextPage
        enabled: viewer.opened
        onActivated: view.goToPage(Math.min(view.currentPage + 1, viewer.pageCount - 1))
    }
    Shortcut {
        sequence: StandardKey.MoveToPreviousPage
        enabled: viewer.opened
        onActivated: view.goToPage(Math.max(view.currentPage - 1, 0))
    }
}
