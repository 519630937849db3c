/* Vietnamese for Plotly's own texts (toolbar, tooltips, messages) and its number and date formats.
   plotly.js ships a "vi" locale with formats only; the dictionary here is ours. Registered before or after
   Plotly loads, as plotly.js's own locale files do. Charts on Vietnamese pages set config.locale = "vi". */
(function () {
  var locale = {
    moduleType: "locale",
    name: "vi",
    dictionary: {
      "Autoscale": "Tự co giãn",
      "Box Select": "Chọn vùng chữ nhật",
      "Click to enter Colorscale title": "Bấm để nhập tên thang màu",
      "Click to enter Component A title": "Bấm để nhập tên thành phần A",
      "Click to enter Component B title": "Bấm để nhập tên thành phần B",
      "Click to enter Component C title": "Bấm để nhập tên thành phần C",
      "Click to enter Plot title": "Bấm để nhập tên biểu đồ",
      "Click to enter X axis title": "Bấm để nhập tên trục X",
      "Click to enter Y axis title": "Bấm để nhập tên trục Y",
      "Compare data on hover": "So sánh số liệu khi rê chuột",
      "Double-click on legend to isolate one trace": "Bấm đúp vào chú giải để chỉ xem một dãy",
      "Double-click to zoom back out": "Bấm đúp để thu nhỏ lại",
      "Download plot as a PNG": "Tải biểu đồ dạng PNG",
      "Download plot as a png": "Tải biểu đồ dạng PNG",
      "Download plot": "Tải biểu đồ",
      "IE only supports svg.  Changing format to svg.": "IE chỉ hỗ trợ SVG. Đổi sang SVG.",
      "Lasso Select": "Chọn tự do",
      "Orbital rotation": "Xoay quỹ đạo",
      "Pan": "Kéo",
      "Reset": "Đặt lại",
      "Reset axes": "Đặt lại trục",
      "Reset camera to default": "Đặt lại góc nhìn mặc định",
      "Reset camera to last save": "Về góc nhìn đã lưu",
      "Reset view": "Đặt lại khung nhìn",
      "Reset views": "Đặt lại các khung nhìn",
      "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
      "Snapshot succeeded": "Đã chụp ảnh biểu đồ",
      "Sorry, there was a problem downloading your snapshot!": "Xin lỗi, không tải được ảnh biểu đồ!",
      "Taking snapshot - this may take a few seconds": "Đang chụp ảnh biểu đồ - có thể mất vài giây",
      "Toggle Spike Lines": "Bật/tắt đường gióng",
      "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
      "Turntable rotation": "Xoay bàn xoay",
      "Zoom": "Phóng to vùng",
      "Zoom in": "Phóng to",
      "Zoom out": "Thu nhỏ",
      "close:": "đóng:",
      "high:": "cao:",
      "incoming flow count:": "số luồng vào:",
      "kde:": "mật độ:",
      "lat:": "vĩ độ:",
      "lon:": "kinh độ:",
      "low:": "thấp:",
      "lower fence:": "cận dưới:",
      "max:": "lớn nhất:",
      "mean ± σ:": "trung bình ± σ:",
      "mean:": "trung bình:",
      "median:": "trung vị:",
      "min:": "nhỏ nhất:",
      "new text": "chữ mới",
      "open:": "mở:",
      "outgoing flow count:": "số luồng ra:",
      "q1:": "q1:",
      "q3:": "q3:",
      "source:": "nguồn:",
      "target:": "đích:",
      "trace": "dãy",
      "upper fence:": "cận trên:"
    },
    format: {
      days: ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu", "Tháng Bảy",
        "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai"],
      shortMonths: ["Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "."
    }
  };
  if (typeof window.Plotly === "undefined") {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  } else {
    window.Plotly.register(locale);
  }
})();
